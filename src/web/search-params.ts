import { z } from 'zod';
import type { SearchRequest } from '../search/page-search.ts';
import { HttpError } from './errors.ts';

const optionalText = z.string().trim().max(200).optional().transform((v) => (v ? v : undefined));
const optionalYear = z.union([z.literal(''), z.coerce.number().int().min(0).max(3000)]).optional()
  .transform((v) => (v === '' || v === undefined ? undefined : v));

const schema = z.object({
  q: z.string().max(500).optional().default(''),
  page: z.coerce.number().int().min(1).max(10_000).optional().default(1),
  size: z.coerce.number().int().min(1).max(100).optional().default(20),
  collection: optionalText,
  type: optionalText,
  document: optionalText,
  year: optionalYear,
  yearFrom: optionalYear,
  yearTo: optionalYear,
  sort: z.enum(['relevance', 'date']).optional().default('relevance'),
  group: z.enum(['page', 'document']).optional().default('page'),
});

export type SearchParams = SearchRequest & { group: 'page' | 'document' };

/** Search parameters of `/search` and `/api/search`, validated once at the edge. */
export function parseSearchParams(query: unknown, includeUnpublished: boolean): SearchParams {
  const flat = Object.fromEntries(
    Object.entries((query ?? {}) as Record<string, unknown>).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v]),
  );
  const parsed = schema.safeParse(flat);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw new HttpError(400, 'bad_request', `参数无效 (invalid parameter ${first?.path.join('.') ?? ''}: ${first?.message ?? ''})`);
  }
  const p = parsed.data;
  return {
    q: p.q, page: p.page, size: p.size, collection: p.collection, type: p.type, documentId: p.document,
    year: p.year, yearFrom: p.yearFrom, yearTo: p.yearTo, sort: p.sort, group: p.group, includeUnpublished,
  };
}
