import { Router } from 'express';
import type { Archive } from '../../archive.ts';
import { parseSearchParams } from '../search-params.ts';
import { isStaff } from '../visibility.ts';
import { facetLinks, pageLinks } from '../search-view.ts';
import { searchStories } from '../../stories/story-search.ts';
import { homeStories } from '../story-view.ts';

/** The reading side: home and search, rendered on the server (no script needed); documents and pages are the reader's (reader.ts). */
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

  return router;
}
