import { Router, type Request, type Response } from 'express';
import type { Archive } from '../../archive.ts';
import type { DocumentRecord, PageRecord } from '../../catalogue/types.ts';
import { highlightAnnotations, searchAnswer } from '../../iiif/content-search.ts';
import { textAnnotationPage } from '../../iiif/page-text.ts';
import { buildManifest, iiifUrls, PRESENTATION_CONTEXT } from '../../iiif/presentation.ts';
import { SEARCH_CONTEXT } from '../../iiif/content-search.ts';
import { parseQuery } from '../../search/query.ts';
import { DC_LABELS } from '../i18n.ts';
import { notFound } from '../errors.ts';
import { originalDownloadable, requestOrigin } from '../original-access.ts';

/** Pages of search results fetched per request to the engine, and the most pages one answer covers. */
const ENGINE_PAGE_SIZE = 100;
const MAX_MATCHING_PAGES = 2000;
/** Content Search parameters we do not support: reported back in `ignored`. */
const UNSUPPORTED = ['motivation', 'date', 'user'];

/** A published, visible, finished document: IIIF resources are public, whoever asks (viewers send no session). */
function publicDocument(archive: Archive, id: string | undefined): DocumentRecord {
  const doc = id ? archive.catalogue.documents.get(id) : null;
  if (!doc || !doc.published || doc.deletedAt || doc.status !== 'ready') throw notFound('文献');
  return doc;
}

function sendJsonLd(res: Response, context: string, body: unknown): void {
  // Viewers such as Mirador and Universal Viewer load manifests from other sites.
  res.setHeader('Access-Control-Allow-Origin', '*');
  res.setHeader('Cache-Control', 'public, max-age=300');
  res.type(`application/ld+json; profile="${context}"`);
  res.send(JSON.stringify(body));
}

/** IIIF Presentation 3 manifests, canvas text, and Content Search 2.0 for published documents. */
export function iiifRouter(archive: Archive): Router {
  const router = Router();

  router.get('/iiif/:id/manifest', (req, res) => {
    const doc = publicDocument(archive, req.params.id);
    const manifest = buildManifest({
      document: doc, pages: archive.catalogue.pages.listForDocument(doc.id), origin: requestOrigin(req),
      fieldLabels: DC_LABELS, originalPublic: originalDownloadable(doc),
    });
    sendJsonLd(res, PRESENTATION_CONTEXT, manifest);
  });

  router.get('/iiif/:id/canvas/:n/text', (req, res) => {
    const doc = publicDocument(archive, req.params.id);
    const n = Number(req.params.n);
    const page = Number.isInteger(n) && n >= 1 ? archive.catalogue.pages.get(doc.id, n) : null;
    if (!page) throw notFound('页面');
    const urls = iiifUrls(requestOrigin(req));
    sendJsonLd(res, PRESENTATION_CONTEXT, textAnnotationPage(urls.text(doc.id, n), urls.canvas(doc.id, n), page, doc.metadata.language.trim() || 'zh'));
  });

  router.get('/iiif/:id/search', async (req: Request<{ id: string }>, res) => {
    const doc = publicDocument(archive, req.params.id);
    const urls = iiifUrls(requestOrigin(req));
    const q = typeof req.query.q === 'string' ? req.query.q.slice(0, 200) : '';
    const page = Math.max(0, Math.trunc(Number(req.query.page)) || 0);
    const ignored = UNSUPPORTED.filter((p) => typeof req.query[p] === 'string' && req.query[p] !== '');
    const parsed = parseQuery(q);
    const pages = parsed.positive.length > 0 ? await matchingPages(archive, doc, q) : [];
    const items = highlightAnnotations(pages, parsed, (n) => urls.canvas(doc.id, n), urls.search(doc.id));
    sendJsonLd(res, SEARCH_CONTEXT, searchAnswer({ queryUrl: `${urls.search(doc.id)}?q=${encodeURIComponent(q)}`, items, page, ignored }));
  });

  return router;
}

/** The document's pages that search finds for `q` (the same rules as the site's search), in page order. */
async function matchingPages(archive: Archive, doc: DocumentRecord, q: string): Promise<PageRecord[]> {
  const numbers: number[] = [];
  for (let page = 1; numbers.length < MAX_MATCHING_PAGES; page++) {
    const result = await archive.search.searchPages({
      q, page, size: ENGINE_PAGE_SIZE, documentId: doc.id, sort: 'relevance', includeUnpublished: false,
    });
    numbers.push(...result.hits.map((h) => h.pageNumber));
    if (result.hits.length < ENGINE_PAGE_SIZE || page * ENGINE_PAGE_SIZE >= result.total) break;
  }
  return numbers.sort((a, b) => a - b)
    .map((n) => archive.catalogue.pages.get(doc.id, n))
    .filter((p): p is PageRecord => p !== null);
}
