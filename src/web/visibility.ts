import type { Response } from 'express';
import type { Archive } from '../archive.ts';
import type { DocumentRecord } from '../catalogue/types.ts';
import { notFound } from './errors.ts';

/** Staff see unpublished documents; the public never does (set by the auth middleware). */
export function isStaff(res: Response): boolean {
  return res.locals.user !== undefined && res.locals.user !== null;
}

/**
 * A document the caller may see, or 404 — an unpublished document is answered exactly like a missing
 * one, so its existence does not leak.
 */
export function visibleDocument(archive: Archive, id: string | undefined, res: Response): DocumentRecord {
  const doc = id ? archive.catalogue.documents.get(id) : null;
  if (!doc || doc.status === 'failed' || (!doc.published && !isStaff(res))) throw notFound('文献');
  return doc;
}
