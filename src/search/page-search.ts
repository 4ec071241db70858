import type { DocumentRecord, PageRecord } from '../catalogue/types.ts';
import type { EngineResult, SearchEngine } from './meili-client.ts';
import { normalizeText } from './normalize.ts';
import { documentTitle, pageSearchText } from './page-text.ts';
import { matchesText, needsVerification, parseQuery, toMeiliQuery, type ParsedQuery } from './query.ts';
import { relevanceScore } from './rank.ts';
import { buildSnippet } from './snippet.ts';

export type SortOrder = 'relevance' | 'date';

export interface SearchRequest {
  q: string;
  page: number;
  size: number;
  collection?: string;
  year?: number;
  yearFrom?: number;
  yearTo?: number;
  type?: string;
  documentId?: string;
  sort: SortOrder;
  includeUnpublished: boolean;
}

export interface PageHit {
  documentId: string;
  documentTitle: string;
  collection: string;
  collectionTitle: string;
  pageNumber: number;
  snippet: string;
  occurrences: number;
  url: string;
  published: boolean;
}

export interface DocumentHit {
  documentId: string;
  documentTitle: string;
  collection: string;
  pages: number;
  occurrences: number;
  url: string;
  firstPage: number;
}

export type Facets = { collection: Record<string, number>; year: Record<string, number>; type: Record<string, number> };

export interface PageSearchResult { query: string; total: number; page: number; size: number; hits: PageHit[]; facets: Facets }
export interface DocumentSearchResult { query: string; total: number; page: number; size: number; hits: DocumentHit[]; facets: Facets }

export interface LoadedPage { page: PageRecord; document: DocumentRecord }

export interface PageSearchDeps {
  engine: SearchEngine;
  /** Pages with their documents, keyed `documentId:number`; the catalogue answers this. */
  loadPages(keys: Array<{ documentId: string; pageNumber: number }>): Map<string, LoadedPage>;
}

/** Candidates re-ranked in the service, since Meilisearch has no term-frequency ranking. */
const RERANK_WINDOW = 200;
/** Ceiling on candidates fetched for verification or grouping in one search. */
const MAX_CANDIDATES = 100_000;
const FACETS = ['collection', 'year', 'type'];

const key = (documentId: string, pageNumber: number) => `${documentId}:${pageNumber}`;

/** Meilisearch filter expressions from the request; values quoted as JSON strings so no input can inject syntax. */
export function buildFilter(req: SearchRequest): string[] {
  const filter: string[] = [];
  if (!req.includeUnpublished) filter.push('published = true');
  if (req.collection) filter.push(`collection = ${JSON.stringify(req.collection)}`);
  if (req.type) filter.push(`type = ${JSON.stringify(req.type)}`);
  if (req.documentId) filter.push(`documentId = ${JSON.stringify(req.documentId)}`);
  if (req.year !== undefined) filter.push(`year <= ${req.year}`, `yearTo >= ${req.year}`);
  if (req.yearFrom !== undefined) filter.push(`yearTo >= ${req.yearFrom}`);
  if (req.yearTo !== undefined) filter.push(`year <= ${req.yearTo}`);
  return filter;
}

function emptyFacets(): Facets {
  return { collection: {}, year: {}, type: {} };
}

function toFacets(raw: EngineResult['facets']): Facets {
  return { collection: raw.collection ?? {}, year: raw.year ?? {}, type: raw.type ?? {} };
}

function sortFor(order: SortOrder): string[] | undefined {
  return order === 'date' ? ['year:asc', 'documentId:asc', 'pageNumber:asc'] : undefined;
}

export function createPageSearch(deps: PageSearchDeps) {
  /** Every page id that really matches: all candidates from the engine, verified against the page text when needed. */
  async function allMatches(req: SearchRequest, parsed: ParsedQuery) {
    const first = await deps.engine.searchPages({
      q: toMeiliQuery(parsed), filter: buildFilter(req), facets: FACETS, offset: 0, limit: MAX_CANDIDATES, sort: sortFor(req.sort),
    });
    if (!needsVerification(parsed)) return { ids: first.ids, facets: toFacets(first.facets), loaded: null };
    const loaded = deps.loadPages(first.ids);
    const ids = first.ids.filter((id) => {
      const hit = loaded.get(key(id.documentId, id.pageNumber));
      return hit !== undefined && matchesText(normalizeText(pageSearchText(hit.page)).text, parsed);
    });
    const facets = emptyFacets();
    for (const id of ids) {
      const doc = loaded.get(key(id.documentId, id.pageNumber))!.document;
      const add = (f: Record<string, number>, v: string | null) => { if (v) f[v] = (f[v] ?? 0) + 1; };
      add(facets.collection, doc.collection?.slug ?? null);
      add(facets.year, doc.yearFrom === null ? null : String(doc.yearFrom));
      add(facets.type, doc.metadata.type || null);
    }
    return { ids, facets, loaded };
  }

  function toHit(loaded: LoadedPage, parsed: ParsedQuery, q: string): PageHit {
    const snippet = buildSnippet(pageSearchText(loaded.page), parsed);
    const doc = loaded.document;
    const qs = q.trim() ? `?q=${encodeURIComponent(q.trim())}` : '';
    return {
      documentId: doc.id, documentTitle: documentTitle(doc), collection: doc.collection?.slug ?? '',
      collectionTitle: doc.collection?.title ?? '', pageNumber: loaded.page.number, snippet: snippet.html,
      occurrences: snippet.occurrences, url: `/documents/${doc.id}/pages/${loaded.page.number}${qs}`, published: doc.published,
    };
  }

  function rankScore(loaded: LoadedPage, parsed: ParsedQuery): number {
    return relevanceScore({ title: documentTitle(loaded.document), headline: loaded.page.headline, text: pageSearchText(loaded.page) }, parsed);
  }

  return {
    async searchPages(req: SearchRequest): Promise<PageSearchResult> {
      const parsed = parseQuery(req.q);
      const offset = (req.page - 1) * req.size;
      const base = { query: req.q, page: req.page, size: req.size };
      const rerank = req.sort === 'relevance' && parsed.positive.length > 0;

      if (needsVerification(parsed)) {
        const all = await allMatches(req, parsed);
        let ids = all.ids;
        if (rerank) {
          const window = ids.slice(0, RERANK_WINDOW);
          const scored = window.map((id, i) => ({ id, i, s: rankScore(all.loaded!.get(key(id.documentId, id.pageNumber))!, parsed) }));
          scored.sort((a, b) => b.s - a.s || a.i - b.i);
          ids = [...scored.map((x) => x.id), ...ids.slice(RERANK_WINDOW)];
        }
        const slice = ids.slice(offset, offset + req.size);
        const hits = slice.map((id) => toHit(all.loaded!.get(key(id.documentId, id.pageNumber))!, parsed, req.q));
        return { ...base, total: ids.length, hits, facets: all.facets };
      }

      const filter = buildFilter(req);
      const q = toMeiliQuery(parsed);
      if (rerank && offset < RERANK_WINDOW) {
        const window = await deps.engine.searchPages({ q, filter, facets: FACETS, offset: 0, limit: RERANK_WINDOW });
        const loaded = deps.loadPages(window.ids);
        const present = window.ids.map((id, i) => ({ id, i, p: loaded.get(key(id.documentId, id.pageNumber)) }))
          .filter((x): x is { id: typeof x.id; i: number; p: LoadedPage } => x.p !== undefined);
        const scored = present.map((x) => ({ ...x, s: rankScore(x.p, parsed) }));
        scored.sort((a, b) => b.s - a.s || a.i - b.i);
        let pageSlice = scored.slice(offset, offset + req.size).map((x) => x.p);
        if (offset + req.size > RERANK_WINDOW && window.total > RERANK_WINDOW) {
          const rest = await deps.engine.searchPages({ q, filter, facets: [], offset: RERANK_WINDOW, limit: offset + req.size - RERANK_WINDOW });
          const more = deps.loadPages(rest.ids);
          pageSlice = [...pageSlice, ...rest.ids.map((id) => more.get(key(id.documentId, id.pageNumber))).filter((p): p is LoadedPage => !!p)];
        }
        return { ...base, total: window.total, hits: pageSlice.map((p) => toHit(p, parsed, req.q)), facets: toFacets(window.facets) };
      }
      const res = await deps.engine.searchPages({ q, filter, facets: FACETS, offset, limit: req.size, sort: sortFor(req.sort) });
      const loaded = deps.loadPages(res.ids);
      const hits = res.ids
        .map((id) => loaded.get(key(id.documentId, id.pageNumber)))
        .filter((p): p is LoadedPage => !!p)
        .map((p) => toHit(p, parsed, req.q));
      return { ...base, total: res.total, hits, facets: toFacets(res.facets) };
    },

    /** Documents with their number of matching pages and occurrences (`group=document`). */
    async searchDocuments(req: SearchRequest): Promise<DocumentSearchResult> {
      const parsed = parseQuery(req.q);
      const all = await allMatches(req, parsed);
      const groups = new Map<string, number[]>();
      for (const id of all.ids) {
        const pages = groups.get(id.documentId) ?? [];
        pages.push(id.pageNumber);
        groups.set(id.documentId, pages);
      }
      const ordered = [...groups.entries()];
      if (req.sort === 'relevance') ordered.sort((a, b) => b[1].length - a[1].length);
      const offset = (req.page - 1) * req.size;
      const slice = ordered.slice(offset, offset + req.size);
      const loaded = deps.loadPages(slice.flatMap(([documentId, pages]) => pages.map((pageNumber) => ({ documentId, pageNumber }))));
      const qs = req.q.trim() ? `?q=${encodeURIComponent(req.q.trim())}` : '';
      const hits: DocumentHit[] = [];
      for (const [documentId, pages] of slice) {
        const firstLoaded = loaded.get(key(documentId, pages[0]!));
        if (!firstLoaded) continue;
        let occurrences = 0;
        for (const n of pages) {
          const p = loaded.get(key(documentId, n));
          if (p) occurrences += buildSnippet(pageSearchText(p.page), parsed, { maxPassages: 0 }).occurrences;
        }
        const doc = firstLoaded.document;
        hits.push({
          documentId, documentTitle: documentTitle(doc), collection: doc.collection?.slug ?? '', pages: pages.length,
          occurrences, url: `/documents/${documentId}${qs}`, firstPage: Math.min(...pages),
        });
      }
      return { query: req.q, total: ordered.length, page: req.page, size: req.size, hits, facets: all.facets };
    },
  };
}
export type PageSearch = ReturnType<typeof createPageSearch>;
