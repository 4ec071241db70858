import { Router } from 'express';
import type { Archive } from '../../archive.ts';
import { currentText } from '../../catalogue/types.ts';
import { notFound } from '../errors.ts';
import { parseSearchParams } from '../search-params.ts';
import { visibleDocument, isStaff } from '../visibility.ts';

/** The public JSON API of CONTRACT: search, documents, pages. */
export function apiRouter(archive: Archive): Router {
  const router = Router();

  router.get('/search', async (req, res) => {
    const params = parseSearchParams(req.query, isStaff(res));
    if (params.group === 'document') {
      const result = await archive.search.searchDocuments(params);
      res.json({
        query: result.query, total: result.total, page: result.page, size: result.size,
        hits: result.hits.map((h) => ({
          documentId: h.documentId, documentTitle: h.documentTitle, collection: h.collection, pages: h.pages,
          occurrences: h.occurrences, url: h.url,
        })),
        facets: result.facets,
      });
      return;
    }
    const result = await archive.search.searchPages(params);
    res.json({
      query: result.query, total: result.total, page: result.page, size: result.size,
      hits: result.hits.map((h) => ({
        documentId: h.documentId, documentTitle: h.documentTitle, collection: h.collection, pageNumber: h.pageNumber,
        snippet: h.snippet, occurrences: h.occurrences, url: h.url,
      })),
      facets: result.facets,
    });
  });

  router.get('/documents/:id', (req, res) => {
    const doc = visibleDocument(archive, req.params.id, res);
    res.json({
      id: doc.id, title: doc.metadata.title, collection: doc.collection?.slug ?? null, type: doc.metadata.type,
      date: doc.metadata.date, pages: doc.pageCount, published: doc.published, status: doc.status, metadata: doc.metadata,
    });
  });

  router.get('/documents/:id/pages/:n', (req, res) => {
    const doc = visibleDocument(archive, req.params.id, res);
    const page = archive.catalogue.pages.get(doc.id, Number(req.params.n));
    if (!page) throw notFound('页面');
    res.json({
      documentId: doc.id, pageNumber: page.number, text: currentText(page), source: page.source,
      confidence: page.confidence, imageUrl: page.hasImage ? `/documents/${doc.id}/pages/${page.number}/image` : null,
      captions: page.captions, headline: page.headline, dek: page.dek, byline: page.byline, needsOcr: page.needsOcr,
    });
  });

  return router;
}
