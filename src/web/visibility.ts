import type { Response } from 'express';
import type { Archive } from '../archive.ts';
import type { DocumentRecord } from '../catalogue/types.ts';
import { notFound } from './errors.ts';

/** Staff see unpublished documents; the public never does (set by the auth middleware). */
export function isStaff(res: Response): boolean {
  return res.locals.user !== undefined && res.locals.user !== null;
}

/** Admins alone see hidden (deleted, not yet purged) documents. */
export function isAdmin(res: Response): boolean {
  return isStaff(res) && (res.locals.user as { role?: string }).role === 'admin';
}

/**
 * A document the caller may see, or 404 — an unpublished or hidden document is answered exactly like a
 * missing one, so its existence does not leak.
 */
export function visibleDocument(archive: Archive, id: string | undefined, res: Response): DocumentRecord {
  const doc = id ? archive.catalogue.documents.get(id) : null;
  if (!doc || doc.status === 'failed' || (!doc.published && !isStaff(res)) || (doc.deletedAt && !isAdmin(res))) throw notFound('文献');
  return doc;
}

/** A document in the staff area: failed and unpublished ones too; hidden ones for admins only. */
export function staffDocument(archive: Archive, id: string | undefined, res: Response): DocumentRecord {
  const doc = id ? archive.catalogue.documents.get(id) : null;
  if (!doc || !isStaff(res) || (doc.deletedAt && !isAdmin(res))) throw notFound('文献');
  return doc;
}
