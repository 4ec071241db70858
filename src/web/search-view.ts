import type { Facets } from '../search/page-search.ts';
import type { SearchParams } from './search-params.ts';

/** Query string for the search page with some parameters changed; a changed filter resets to page 1. */
export function searchUrl(params: SearchParams, changes: Record<string, string | number | undefined>): string {
  const base: Record<string, string | number | undefined> = {
    q: params.q, collection: params.collection, type: params.type, year: params.year, yearFrom: params.yearFrom,
    yearTo: params.yearTo, document: params.documentId,
    sort: params.sort === 'relevance' ? undefined : params.sort, group: params.group === 'page' ? undefined : params.group,
    size: params.size === 20 ? undefined : params.size, page: params.page === 1 ? undefined : params.page,
  };
  const merged = { ...base, page: undefined, ...changes };
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(merged)) if (v !== undefined && v !== '') qs.set(k, String(v));
  return `/search?${qs.toString()}`;
}

export interface FacetLink { label: string; count: number; url: string; active: boolean }
export interface FacetGroup { name: 'collection' | 'year' | 'type'; links: FacetLink[]; clearUrl: string | null }

export function facetLinks(params: SearchParams, facets: Facets, collectionTitles: Map<string, string>): FacetGroup[] {
  const group = (name: FacetGroup['name'], values: Record<string, number>, active: string | undefined, label: (v: string) => string, order: 'count' | 'value') => {
    const entries = Object.entries(values).filter(([, c]) => c > 0);
    entries.sort(order === 'count' ? (a, b) => b[1] - a[1] : (a, b) => a[0].localeCompare(b[0]));
    return {
      name,
      links: entries.map(([v, count]) => ({ label: label(v), count, url: searchUrl(params, { [name]: v }), active: active === v })),
      clearUrl: active !== undefined ? searchUrl(params, { [name]: undefined }) : null,
    };
  };
  return [
    group('collection', facets.collection, params.collection, (v) => collectionTitles.get(v) ?? v, 'count'),
    group('year', facets.year, params.year === undefined ? undefined : String(params.year), (v) => v, 'value'),
    group('type', facets.type, params.type, (v) => v, 'count'),
  ].filter((g) => g.links.length > 0);
}

export interface Pagination { prev: string | null; next: string | null; pages: Array<{ n: number; url: string; current: boolean }> }

export function pageLinks(params: SearchParams, total: number): Pagination {
  const last = Math.max(1, Math.ceil(total / params.size));
  const from = Math.max(1, params.page - 4);
  const to = Math.min(last, from + 9);
  const pages = [];
  for (let n = from; n <= to; n++) pages.push({ n, url: searchUrl(params, { page: n }), current: n === params.page });
  return {
    prev: params.page > 1 ? searchUrl(params, { page: params.page - 1 }) : null,
    next: params.page < last ? searchUrl(params, { page: params.page + 1 }) : null,
    pages,
  };
}
