/**
 * Checks the candidates of an approximate Meilisearch answer against the pages' normalised text,
 * so that `total`, facet counts and hits are exact. The check runs inside SQLite (`instr` over the
 * stored search text, one statement for all candidates; long lists split between worker threads):
 * no page text is loaded into JavaScript or normalised again.
 */
import type { SearchTextMatch } from '../catalogue/pages.ts';
import type { DocumentRecord, PageRecord } from '../catalogue/types.ts';
import { normalizedSearchText } from './page-indexer.ts';
import { matchesText, type ParsedQuery } from './query.ts';

export interface PageKey { documentId: string; pageNumber: number }
export type Facets = { collection: Record<string, number>; year: Record<string, number>; type: Record<string, number> };

type CatalogueKey = { documentId: string; number: number };

/** The catalogue's side of search (the pages repository, with search-text-workers.ts for long lists). */
export interface SearchTextStore {
  /**
   * The candidates that pass (catalogue pages.ts `filterBySearchText`; long lists in worker threads).
   * With `facets: false` the caller needs only which pass: facet values may then be left empty.
   */
  filterBySearchText(candidates: CatalogueKey[], include: string[], exclude: string[], opts?: { facets?: boolean }): Promise<SearchTextMatch[]>;
  saveSearchTexts(entries: Array<CatalogueKey & { searchText: string }>): void;
  /**
   * Stored search texts: as strings when held in memory, else as UTF-8 bytes read from SQLite
   * (matches are counted on them without decoding).
   */
  searchTextsOf(keys: CatalogueKey[]): Map<string, { headline: string | null; searchText: string | Buffer | null }>;
}

export interface VerifyDeps {
  searchTexts: SearchTextStore;
  loadPages(keys: PageKey[]): Map<string, { page: PageRecord; document: DocumentRecord }>;
}

/** A matching page with its document's year (for ordering documents by date). */
export interface Match extends PageKey { year: number | null }

export const pageKey = (documentId: string, pageNumber: number) => `${documentId}:${pageNumber}`;

function count(facet: Record<string, number>, value: string | null | undefined): void {
  if (value) facet[value] = (facet[value] ?? 0) + 1;
}

/**
 * Normalised search texts of pages that have none stored yet (indexed before it was kept, or
 * changed since — the catalogue clears it then), computed and stored so the next search finds them.
 */
export function fillSearchTexts(keys: PageKey[], deps: VerifyDeps): Map<string, string> {
  const loaded = deps.loadPages(keys);
  const texts = new Map<string, string>();
  const entries: Array<CatalogueKey & { searchText: string }> = [];
  for (const { page } of loaded.values()) {
    const searchText = normalizedSearchText(page);
    texts.set(pageKey(page.documentId, page.number), searchText);
    entries.push({ documentId: page.documentId, number: page.number, searchText });
  }
  deps.searchTexts.saveSearchTexts(entries);
  return texts;
}

/**
 * The check's rows of the candidates that really match, in candidate order: pages without a stored
 * text yet are normalised now (and stored) and checked here. With `check` false every candidate
 * still in the catalogue passes.
 */
async function matchingRows(candidates: PageKey[], q: ParsedQuery, deps: VerifyDeps, check: boolean, facets: boolean): Promise<SearchTextMatch[]> {
  const rows = await deps.searchTexts.filterBySearchText(
    candidates.map((c) => ({ documentId: c.documentId, number: c.pageNumber })),
    check ? q.positive.map((t) => t.text) : [],
    check ? q.negative.map((t) => t.text) : [],
    { facets },
  );
  const unstored = check ? rows.filter((r) => !r.stored).map((r) => candidates[r.index]!) : [];
  if (unstored.length === 0) return rows;
  const late = fillSearchTexts(unstored, deps);
  return rows.filter((r) => {
    if (r.stored) return true;
    const c = candidates[r.index]!;
    const text = late.get(pageKey(c.documentId, c.pageNumber));
    return text !== undefined && matchesText(text, q);
  });
}

/**
 * The candidates that really match, in candidate order, with exact facet counts. With `check` false
 * the candidates are known to be exact and are only looked up for their facet values.
 */
export async function verifyCandidates(candidates: PageKey[], q: ParsedQuery, deps: VerifyDeps, check = true): Promise<{ matches: Match[]; facets: Facets }> {
  const matches: Match[] = [];
  const facets: Facets = { collection: {}, year: {}, type: {} };
  for (const r of await matchingRows(candidates, q, deps, check, true)) {
    const c = candidates[r.index]!;
    matches.push({ documentId: c.documentId, pageNumber: c.pageNumber, year: r.year });
    count(facets.collection, r.collection);
    count(facets.year, r.year === null ? null : String(r.year));
    count(facets.type, r.type);
  }
  return { matches, facets };
}

/**
 * Which candidates really match (1 at their position), checked as `verifyCandidates` does but
 * without looking up facet values: the chained plan needs only to know which of its suspects to
 * drop, and for 22,000 suspects the facet values cost a third of the check.
 */
export async function matchingPositions(candidates: PageKey[], q: ParsedQuery, deps: VerifyDeps): Promise<Uint8Array> {
  const marks = new Uint8Array(candidates.length);
  if (candidates.length === 0) return marks;
  for (const r of await matchingRows(candidates, q, deps, true, false)) marks[r.index] = 1;
  return marks;
}
