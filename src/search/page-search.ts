import type { DocumentRecord, PageRecord } from '../catalogue/types.ts';
import type { EngineResult, SearchEngine } from './meili-client.ts';
import { documentTitle, pageSearchText } from './page-text.ts';
import { suspectBranches } from './index-tokens.ts';
import { pageSearchId } from './index-settings.ts';
import { chainedTerms, findMatches, parseQuery, planQuery, toMeiliQuery, withTermPositive, type ParsedQuery, type QueryTerm } from './query.ts';
import { relevanceScorer } from './rank.ts';
import { normalizeText, type NormalizedText } from './normalize.ts';
import { buildSnippet } from './snippet.ts';
import { fillSearchTexts, matchingPositions, pageKey as key, verifyCandidates, type Facets, type Match, type PageKey, type SearchTextStore } from './verification.ts';

export type { Facets } from './verification.ts';
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

export interface PageSearchResult { query: string; total: number; page: number; size: number; hits: PageHit[]; facets: Facets }
export interface DocumentSearchResult { query: string; total: number; page: number; size: number; hits: DocumentHit[]; facets: Facets }

export interface LoadedPage { page: PageRecord; document: DocumentRecord }

export interface PageSearchDeps {
  engine: SearchEngine;
  /**
   * Pages with their documents, keyed `documentId:number`; the catalogue answers this. The objects
   * may be shared between searches (archive.ts keeps them in a read cache): read them, never change them.
   */
  loadPages(keys: PageKey[]): Map<string, LoadedPage>;
  /** Documents by id. */
  loadDocuments(ids: string[]): Map<string, DocumentRecord>;
  /** Display titles of documents by id (page-text.ts `documentTitle`), for ranking. */
  loadTitles(ids: string[]): Map<string, string>;
  /** Stored normalised page texts, which verification and ranking read (held in memory, else in SQLite). */
  searchTexts: SearchTextStore;
  /** Most hits asked for after a short first answer (`refill`; by default as many as the request it saves would read). */
  maxContinued?: number;
  /** Most pages left out of a repeated ranked request by filter (default MAX_EXCLUDED_BY_FILTER). */
  maxExcludedByFilter?: number;
}

/** Candidates re-ranked in the service, since Meilisearch has no term-frequency ranking. */
const RERANK_WINDOW = 200;
/** Extra ranked candidates asked for on the verified path, for the few that verification drops. */
const VERIFY_SLACK = 20;
/**
 * Pages known not to match, up to this many, are excluded by a filter when the ranked hits must be
 * asked for again (see `refill`): asking for more hits instead makes Meilisearch read every extra page
 * record (about 40 ms for 1,100 records at 100,000 pages, against a few for the filter).
 */
const MAX_EXCLUDED_BY_FILTER = 5_000;
const FACETS = ['collection', 'year', 'type'];

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

/** A filter expression leaving out the given pages (ids quoted as JSON strings). */
function excludingPages(keys: Iterable<PageKey>): string {
  const ids = [...keys].map((k) => JSON.stringify(pageSearchId(k.documentId, k.pageNumber)));
  return `id NOT IN [${ids.join(', ')}]`;
}

function toFacets(raw: EngineResult['facets']): Facets {
  return { collection: raw.collection ?? {}, year: raw.year ?? {}, type: raw.type ?? {} };
}

function sortFor(order: SortOrder): string[] | undefined {
  return order === 'date' ? ['year:asc', 'documentId:asc', 'pageNumber:asc'] : undefined;
}

/** Facet counts of `a` less those of `minus` (pages known to be counted in `a`). */
function subtractFacets(a: Facets, minus: Facets): Facets {
  const out: Facets = { collection: { ...a.collection }, year: { ...a.year }, type: { ...a.type } };
  for (const name of ['collection', 'year', 'type'] as const) {
    for (const [value, n] of Object.entries(minus[name])) {
      const left = (out[name][value] ?? 0) - n;
      if (left > 0) out[name][value] = left;
      else delete out[name][value];
    }
  }
  return out;
}

/**
 * Pages on which a chained term's phrase may match without the term: their `branch` field holds an
 * inner trigram of it branching left and one at the same or a later position branching right
 * (index-tokens.ts `suspectBranches`), for any of the terms. The values are ASCII letters.
 */
function suspectFilter(terms: QueryTerm[]): string {
  const list = (values: string[]) => `[${values.map((v) => JSON.stringify(v)).join(', ')}]`;
  return terms.flatMap((t) => suspectBranches(t.text).map(({ left, right }) => `(branch = ${JSON.stringify(left)} AND branch IN ${list(right)})`))
    .join(' OR ');
}

/** The engine's `q` for a parsed query under its plan (query.ts `planQuery`). */
function meiliQueryFor(parsed: ParsedQuery): string {
  return toMeiliQuery(parsed, { chainedNegations: planQuery(parsed) === 'chained' });
}

/**
 * The ranked engine query the service sends for a request (the benchmark replays it straight to
 * Meilisearch): its phrases, filters, date order, facets and the number of hits it asks for (the
 * re-rank window under relevance order).
 */
export function engineRequestFor(req: SearchRequest): { q: string; filter: string[]; sort?: string[]; facets: string[]; limit: number } {
  const parsed = parseQuery(req.q);
  const offset = (req.page - 1) * req.size;
  const windowed = req.sort === 'relevance' && parsed.positive.length > 0 && offset < RERANK_WINDOW;
  return {
    q: meiliQueryFor(parsed), filter: buildFilter(req), sort: sortFor(req.sort), facets: FACETS,
    limit: windowed ? Math.max(RERANK_WINDOW, offset + req.size) : offset + req.size,
  };
}

/** How page search asks the engine for ranked hits beyond a first answer (see `refill`). */
interface RankedRequests {
  /** Hits after the first `offset`, in the engine's order. */
  from(offset: number, limit: number): Promise<PageKey[]>;
  /** The first `limit` hits, and the total, with `leftOut` (pages known not to match) left out by filter. */
  without(leftOut: PageKey[], limit: number): Promise<EngineResult>;
  /** The first `limit` hits. */
  first(limit: number): Promise<EngineResult>;
}

export function createPageSearch(deps: PageSearchDeps) {
  const maxContinued = deps.maxContinued ?? Number.POSITIVE_INFINITY;
  const maxExcludedByFilter = deps.maxExcludedByFilter ?? MAX_EXCLUDED_BY_FILTER;

  /**
   * The first `need` hits in the engine's order that `keep` accepts, from the first ranked answer
   * (`first`) and, when checking left it short, more. Meilisearch's time goes to reading the records
   * of the hits it returns (200 hits 8.2 ms, 20 hits from offset 180 2.2 ms, at 100,000 pages), so:
   * the hits after the first answer, as many as the share that passed suggests, when they are fewer
   * than `need` (at 100,000 pages 21–37 ms for such searches against 27–48 ms asked again by filter);
   * else the ranked hits again without the rejected pages (up to MAX_EXCLUDED_BY_FILTER of them);
   * else ever more hits. Leaving pages out changes no other page's place: Meilisearch ranks every
   * page on its own, ties by its internal id.
   */
  async function refill(first: EngineResult, need: number, keep: (id: PageKey) => boolean, rejected: () => PageKey[], ask: RankedRequests): Promise<PageKey[]> {
    const kept = first.ids.filter(keep);
    if (kept.length >= need || first.ids.length >= first.total) return kept;
    // At least one hit in sixteen taken to pass, so that a first answer of rejections still asks for a bounded number.
    const share = (fetched: number) => Math.max(kept.length / fetched, 1 / 16);
    const expected = Math.ceil((need - kept.length) / share(first.ids.length)) + VERIFY_SLACK;
    if (expected <= Math.min(need, maxContinued)) {
      for (let fetched = first.ids.length; kept.length < need && fetched < first.total;) {
        const limit = Math.min(first.total - fetched, Math.ceil((need - kept.length) / share(fetched)) + VERIFY_SLACK);
        const more = await ask.from(fetched, limit);
        if (more.length === 0) break;
        for (const id of more) if (keep(id)) kept.push(id);
        fetched += more.length;
      }
      return kept;
    }
    let hits = first;
    let inOrder = kept;
    const leftOut = rejected();
    if (leftOut.length <= maxExcludedByFilter) {
      hits = await ask.without(leftOut, need);
      inOrder = hits.ids.filter(keep);
    }
    for (let limit = first.ids.length * 2; inOrder.length < need && hits.ids.length < hits.total; limit *= 2) {
      hits = await ask.first(limit);
      inOrder = hits.ids.filter(keep);
    }
    return inOrder;
  }

  /** The ranked requests of one search: its phrases, filters and order. */
  function rankedRequests(q: string, filter: string[], sort: SortOrder): RankedRequests {
    return {
      from: (offset, limit) => deps.engine.rankedPageIdsFrom({ q, filter, sort: sortFor(sort), offset, limit }),
      without: (leftOut, limit) => deps.engine.searchPages({ q, filter: [...filter, excludingPages(leftOut)], facets: [], offset: 0, limit, sort: sortFor(sort) }),
      first: (limit) => deps.engine.searchPages({ q, filter, facets: [], offset: 0, limit, sort: sortFor(sort) }),
    };
  }
  /**
   * A page's searchable text and its folding, kept while the page object lives: pages come from
   * the catalogue's read cache (archive.ts), where the same object serves many queries unchanged,
   * and folding it again took half of the snippets' time.
   */
  const foldedPages = new WeakMap<PageRecord, { text: string; normalized: NormalizedText }>();
  function snippetOf(page: PageRecord, parsed: ParsedQuery) {
    let folded = foldedPages.get(page);
    if (folded === undefined) {
      const text = pageSearchText(page);
      folded = { text, normalized: normalizeText(text) };
      foldedPages.set(page, folded);
    }
    return buildSnippet(folded.text, parsed, { normalized: folded.normalized });
  }

  function toHit(loaded: LoadedPage, parsed: ParsedQuery, q: string): PageHit {
    const snippet = snippetOf(loaded.page, parsed);
    const doc = loaded.document;
    const qs = q.trim() ? `?q=${encodeURIComponent(q.trim())}` : '';
    return {
      documentId: doc.id, documentTitle: documentTitle(doc), collection: doc.collection?.slug ?? '',
      collectionTitle: doc.collection?.title ?? '', pageNumber: loaded.page.number, snippet: snippet.html,
      occurrences: snippet.occurrences, url: `/documents/${doc.id}/pages/${loaded.page.number}${qs}`, published: doc.published,
    };
  }

  function loadInOrder(ids: PageKey[]): LoadedPage[] {
    const loaded = deps.loadPages(ids);
    return ids.map((id) => loaded.get(key(id.documentId, id.pageNumber))).filter((p): p is LoadedPage => p !== undefined);
  }

  /**
   * Ids in relevance order (rank.ts), ties kept in engine order. Reads only headline and stored
   * search text of each page, so a window of hundreds costs little.
   */
  function rerank(ids: PageKey[], parsed: ParsedQuery): PageKey[] {
    const keys = ids.map((id) => key(id.documentId, id.pageNumber));
    const texts = deps.searchTexts.searchTextsOf(ids.map((id) => ({ documentId: id.documentId, number: id.pageNumber })));
    const missing = ids.filter((_, i) => !texts.get(keys[i]!)?.searchText);
    const filled = missing.length > 0 ? fillSearchTexts(missing, deps) : new Map<string, string>();
    const titles = deps.loadTitles(ids.map((id) => id.documentId));
    const relevanceScore = relevanceScorer(parsed);
    const scored = ids.map((id, i) => {
      const stored = texts.get(keys[i]!);
      const text = stored?.searchText ?? filled.get(keys[i]!) ?? '';
      const s = relevanceScore({ title: titles.get(id.documentId) ?? '', headline: stored?.headline ?? null, text: '' }, text);
      return { id, i, s };
    });
    scored.sort((a, b) => b.s - a.s || a.i - b.i);
    return scored.map((x) => x.id);
  }

  /** The requested slice of hits from ids in engine order, the first RERANK_WINDOW re-ranked when asked. */
  function slice(ids: PageKey[], offset: number, size: number, parsed: ParsedQuery, reorder: boolean): PageKey[] {
    if (!reorder || offset >= RERANK_WINDOW) return ids.slice(offset, offset + size);
    return [...rerank(ids.slice(0, RERANK_WINDOW), parsed), ...ids.slice(RERANK_WINDOW)].slice(offset, offset + size);
  }

  /**
   * The verified path: every candidate listed (unordered, cheaply) and checked in SQLite for the exact
   * total and facets; the hits come from Meilisearch's ranked candidates that passed.
   */
  async function verifiedSearch(req: SearchRequest, parsed: ParsedQuery, offset: number, reorder: boolean) {
    const q = toMeiliQuery(parsed);
    const filter = buildFilter(req);
    const wanted = reorder ? Math.max(RERANK_WINDOW, offset + req.size) : offset + req.size;
    const ask = rankedRequests(q, filter, req.sort);
    const [candidates, first] = await Promise.all([deps.engine.listPageIds({ q, filter }), ask.first(wanted + VERIFY_SLACK)]);
    const verified = await verifyCandidates(candidates, parsed, deps);
    const accepted = new Set(verified.matches.map((m) => key(m.documentId, m.pageNumber)));
    const isAccepted = (id: PageKey) => accepted.has(key(id.documentId, id.pageNumber));
    const inOrder = await refill(first, Math.min(wanted, accepted.size), isAccepted, () => candidates.filter((id) => !isAccepted(id)), ask);
    return { total: accepted.size, facets: verified.facets, ids: slice(inOrder, offset, req.size, parsed, reorder) };
  }

  /**
   * The chained plan's correction of Meilisearch's answer: the pages it holds that do not match
   * (`remove`) and the matching pages it left out (`missing`, from approximate negations). Only
   * pages that `suspectFilter` lets through can be either, so only those are listed and checked.
   */
  async function chainedCorrection(parsed: ParsedQuery, filter: string[]) {
    const chained = chainedTerms(parsed);
    const listing: Array<Promise<PageKey[]>> = [];
    if (chained.positive.length > 0) {
      listing.push(deps.engine.listPageIds({
        q: toMeiliQuery(parsed, { chainedNegations: true }),
        filter: [...filter, suspectFilter(chained.positive)],
      }));
    }
    const answered = listing.length;
    for (const term of chained.negative) {
      // Pages that hold the term's windows (so Meilisearch removed them) but may lack the term itself.
      const flipped = withTermPositive(parsed, term, chained.negative);
      listing.push(deps.engine.listPageIds({ q: toMeiliQuery(flipped), filter: [...filter, suspectFilter([term])] }));
    }
    const lists = await Promise.all(listing);
    const inAnswer = lists.slice(0, answered).flat();
    const matching = await matchingPositions(inAnswer, parsed, deps);
    const remove = inAnswer.filter((_, i) => matching[i] === 0);
    const seen = new Set<string>();
    const outside = lists.slice(answered).flat().filter((id) => {
      const k = key(id.documentId, id.pageNumber);
      return seen.has(k) ? false : (seen.add(k), true);
    });
    const outsideMatching = await matchingPositions(outside, parsed, deps);
    return {
      remove: new Set(remove.map((id) => key(id.documentId, id.pageNumber))),
      removeKeys: remove,
      /** Facet counts of the removed pages, for the ranked answer's counts (only asked when pages are removed). */
      removeFacets: async () => (remove.length > 0 ? (await verifyCandidates(remove, parsed, deps, false)).facets : toFacets({})),
      missing: outside.filter((_, i) => outsideMatching[i] === 1),
    };
  }

  /**
   * The chained plan: Meilisearch's answer corrected by `chainedCorrection`. When an approximate
   * negation removed a matching page (rare: the page must hold every window of the excluded term
   * without the term), its place among the ranked hits is unknown, so the verified path answers.
   */
  async function chainedSearch(req: SearchRequest, parsed: ParsedQuery, offset: number, reorder: boolean) {
    const filter = buildFilter(req);
    const windowed = reorder && offset < RERANK_WINDOW;
    const wanted = windowed ? Math.max(RERANK_WINDOW, offset + req.size) : offset + req.size;
    const q = toMeiliQuery(parsed, { chainedNegations: true });
    // The ranked hits (with facets) are asked for while the correction is worked out: usually it
    // removes fewer pages than the slack, and the search costs no time of its own.
    const [correction, first] = await Promise.all([
      chainedCorrection(parsed, filter),
      deps.engine.searchPages({ q, filter, facets: FACETS, offset: 0, limit: wanted + VERIFY_SLACK, sort: sortFor(req.sort) }),
    ]);
    if (correction.missing.length > 0) return verifiedSearch(req, parsed, offset, reorder);
    const total = first.total - correction.remove.size;
    const kept = (id: PageKey) => !correction.remove.has(key(id.documentId, id.pageNumber));
    const ids = await refill(first, Math.min(wanted, total), kept, () => correction.removeKeys, rankedRequests(q, filter, req.sort));
    return { total, facets: subtractFacets(toFacets(first.facets), await correction.removeFacets()), ids: slice(ids, offset, req.size, parsed, windowed) };
  }

  /** Every matching page (unordered) with exact facet counts, by the query's plan. */
  async function matchingPages(req: SearchRequest, parsed: ParsedQuery): Promise<{ matches: Match[]; facets: Facets }> {
    const filter = buildFilter(req);
    const plan = planQuery(parsed);
    if (plan === 'chained') {
      const correction = await chainedCorrection(parsed, filter);
      if (correction.missing.length === 0) {
        const candidates = await deps.engine.listPageIds({ q: toMeiliQuery(parsed, { chainedNegations: true }), filter });
        const kept = candidates.filter((id) => !correction.remove.has(key(id.documentId, id.pageNumber)));
        return verifyCandidates(kept, parsed, deps, false);
      }
    }
    const candidates = await deps.engine.listPageIds({ q: toMeiliQuery(parsed), filter });
    return verifyCandidates(candidates, parsed, deps, plan !== 'exact');
  }

  return {
    async searchPages(req: SearchRequest): Promise<PageSearchResult> {
      const parsed = parseQuery(req.q);
      const offset = (req.page - 1) * req.size;
      const base = { query: req.q, page: req.page, size: req.size };
      const reorder = req.sort === 'relevance' && parsed.positive.length > 0;
      const toHits = (ids: PageKey[]) => loadInOrder(ids).map((p) => toHit(p, parsed, req.q));

      const plan = planQuery(parsed);
      if (plan !== 'exact') {
        const result = plan === 'chained' ? await chainedSearch(req, parsed, offset, reorder) : await verifiedSearch(req, parsed, offset, reorder);
        return { ...base, total: result.total, hits: toHits(result.ids), facets: result.facets };
      }
      // Meilisearch is exact here: ask only for what the page of hits needs.
      const windowed = reorder && offset < RERANK_WINDOW;
      const res = await deps.engine.searchPages({
        q: toMeiliQuery(parsed), filter: buildFilter(req), facets: FACETS, offset: windowed ? 0 : offset,
        limit: windowed ? Math.max(RERANK_WINDOW, offset + req.size) : req.size, sort: sortFor(req.sort),
      });
      const ids = windowed ? slice(res.ids, offset, req.size, parsed, true) : res.ids;
      return { ...base, total: res.total, hits: toHits(ids), facets: toFacets(res.facets) };
    },

    /**
     * Documents with their number of matching pages and occurrences (`group=document`): by number of
     * matching pages (relevance) or by date, then document id.
     */
    async searchDocuments(req: SearchRequest): Promise<DocumentSearchResult> {
      const parsed = parseQuery(req.q);
      const { matches, facets } = await matchingPages(req, parsed);
      const groups = new Map<string, { pages: number[]; year: number | null }>();
      for (const m of matches) {
        const group = groups.get(m.documentId) ?? { pages: [], year: m.year };
        group.pages.push(m.pageNumber);
        groups.set(m.documentId, group);
      }
      const byYear = (y: number | null) => y ?? Number.MAX_SAFE_INTEGER;
      const ordered = [...groups.entries()].sort((a, b) => (req.sort === 'relevance'
        ? b[1].pages.length - a[1].pages.length
        : byYear(a[1].year) - byYear(b[1].year)) || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
      const offset = (req.page - 1) * req.size;
      const slice = ordered.slice(offset, offset + req.size);
      // Occurrences are counted on the stored search texts: no page is loaded or normalised again.
      const keys = slice.flatMap(([documentId, g]) => g.pages.map((pageNumber) => ({ documentId, pageNumber })));
      const texts = deps.searchTexts.searchTextsOf(keys.map((k) => ({ documentId: k.documentId, number: k.pageNumber })));
      const missing = keys.filter((k) => !texts.get(key(k.documentId, k.pageNumber))?.searchText);
      const filled = missing.length > 0 ? fillSearchTexts(missing, deps) : new Map<string, string>();
      const docs = deps.loadDocuments(slice.map(([documentId]) => documentId));
      const qs = req.q.trim() ? `?q=${encodeURIComponent(req.q.trim())}` : '';
      const hits: DocumentHit[] = [];
      for (const [documentId, { pages }] of slice) {
        const doc = docs.get(documentId);
        if (!doc) continue;
        let occurrences = 0;
        for (const n of pages) {
          const k = key(documentId, n);
          occurrences += findMatches(texts.get(k)?.searchText ?? filled.get(k) ?? '', parsed).length;
        }
        hits.push({
          documentId, documentTitle: documentTitle(doc), collection: doc.collection?.slug ?? '', pages: pages.length,
          occurrences, url: `/documents/${documentId}${qs}`, firstPage: Math.min(...pages),
        });
      }
      return { query: req.q, total: ordered.length, page: req.page, size: req.size, hits, facets };
    },
  };
}
export type PageSearch = ReturnType<typeof createPageSearch>;
