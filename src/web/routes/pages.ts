import { Router } from 'express';
import type { Archive } from '../../archive.ts';
import { currentText, DUBLIN_CORE_FIELDS } from '../../catalogue/types.ts';
import { parseQuery } from '../../search/query.ts';
import { escapeHtml, matchRangesInOriginal } from '../../search/snippet.ts';
import { documentTitle } from '../../search/page-text.ts';
import { notFound } from '../errors.ts';
import { parseSearchParams } from '../search-params.ts';
import { isStaff, visibleDocument } from '../visibility.ts';
import { facetLinks, pageLinks } from '../search-view.ts';
import { searchStories } from '../../stories/story-search.ts';
import { homeStories } from '../story-view.ts';

/** Escaped text with every match of `q` marked; the only HTML the page template prints raw. */
export function markedText(text: string, q: string): string {
  const parsed = parseQuery(q);
  if (parsed.positive.length === 0) return escapeHtml(text);
  let html = '';
  let at = 0;
  for (const r of matchRangesInOriginal(text, parsed)) {
    html += escapeHtml(text.slice(at, r.start)) + '<mark>' + escapeHtml(text.slice(r.start, r.end)) + '</mark>';
    at = r.end;
  }
  return html + escapeHtml(text.slice(at));
}

/** The reading side: home, search, documents and pages, rendered on the server (no script needed). */
export function readingRouter(archive: Archive): Router {
  const router = Router();

  router.get('/', (_req, res) => {
    const collections = archive.catalogue.collections.listWithCounts(isStaff(res)).filter((c) => c.documents > 0);
    res.render('home', { title: null, collections, featuredStories: homeStories(archive) });
  });

  router.get('/search', async (req, res) => {
    const params = parseSearchParams(req.query, isStaff(res));
    const hasQuery = params.q.trim() !== '' || !!(params.collection || params.type || params.year || params.documentId);
    const collections = new Map(archive.catalogue.collections.listWithCounts(true).map((c) => [c.slug, c.title]));
    // Stories matching the words, shown above the first page of hits (filters concern pages only).
    res.locals.storyHits = params.q.trim() && params.page === 1 ? await searchStories(archive, params.q, { includeDrafts: isStaff(res), limit: 3 }) : null;
    if (!hasQuery) {
      res.render('search', { title: res.locals.t('search'), params, result: null, docResult: null, facets: null, pagination: null });
      return;
    }
    if (params.group === 'document') {
      const docResult = await archive.search.searchDocuments(params);
      res.render('search', {
        title: `${params.q} - ${res.locals.t('search')}`, params, result: null, docResult,
        facets: facetLinks(params, docResult.facets, collections), pagination: pageLinks(params, docResult.total),
      });
      return;
    }
    const result = await archive.search.searchPages(params);
    res.render('search', {
      title: `${params.q} - ${res.locals.t('search')}`, params, result, docResult: null,
      facets: facetLinks(params, result.facets, collections), pagination: pageLinks(params, result.total),
    });
  });

  router.get('/documents/:id', (req, res) => {
    const doc = visibleDocument(archive, req.params.id, res);
    const pages = archive.catalogue.pages.listForDocument(doc.id).map((p) => ({
      number: p.number, needsOcr: p.needsOcr, headline: p.headline,
      excerpt: currentText(p).replace(/\s+/g, ' ').slice(0, 80),
    }));
    const metadata = DUBLIN_CORE_FIELDS.filter((f) => doc.metadata[f]).map((f) => ({ field: f, value: doc.metadata[f] }));
    const q = typeof req.query.q === 'string' ? req.query.q : '';
    res.render('document', { title: documentTitle(doc), doc, pages, metadata, q });
  });

  router.get('/documents/:id/pages/:n', (req, res) => {
    const doc = visibleDocument(archive, req.params.id, res);
    const n = Number(req.params.n);
    const page = Number.isInteger(n) ? archive.catalogue.pages.get(doc.id, n) : null;
    if (!page) throw notFound('页面');
    const q = typeof req.query.q === 'string' ? req.query.q.slice(0, 200) : '';
    const paragraphs = currentText(page).split(/\n+/).filter((p) => p.trim()).map((p) => markedText(p, q));
    res.render('page', {
      title: `${documentTitle(doc)} · ${res.locals.t('page', { n })}`,
      doc, page, q, paragraphs,
      headlineHtml: page.headline ? markedText(page.headline, q) : null,
      dekHtml: page.dek ? markedText(page.dek, q) : null,
      bylineHtml: page.byline ? markedText(page.byline, q) : null,
      captionsHtml: page.captions.map((c) => markedText(c, q)),
      prev: n > 1 ? n - 1 : null,
      next: n < doc.pageCount ? n + 1 : null,
      canonical: `/documents/${doc.id}/pages/${n}`,
    });
  });

  return router;
}
