import type { Request, Response } from 'express';
import { DUBLIN_CORE_FIELDS, type DocumentRecord } from '../../catalogue/types.ts';
import { CurationError, editMetadata, hideDocument, purgeDocument, restoreDocument, setPublished } from '../../curation.ts';
import { documentTitle } from '../../search/page-text.ts';
import { currentUser } from '../auth.ts';
import { HttpError } from '../errors.ts';
import { describeYears, parseMetadataInput, type FieldErrors } from '../metadata-input.ts';
import { isAdmin, staffDocument } from '../visibility.ts';
import type { StaffDeps, StaffRoute } from './staff.ts';

/** Notices shown after a redirect, by key: the page never echoes request text. */
const NOTICES = ['saved', 'published', 'unpublished', 'hidden', 'restored', 'purged'] as const;
export function noticeFrom(req: Request): string | null {
  const done = req.query.done;
  return typeof done === 'string' && (NOTICES as readonly string[]).includes(done) ? done : null;
}

export function translateCuration(error: unknown): never {
  if (error instanceof CurationError) throw new HttpError(409, error.code, error.message);
  throw error;
}

function reviewModel(deps: StaffDeps, doc: DocumentRecord, res: Response, form: Record<string, string>, errors: FieldErrors) {
  const { catalogue } = deps.archive;
  const pages = catalogue.pages.listForDocument(doc.id).map((p) => ({
    number: p.number, source: p.source, needsOcr: p.needsOcr, corrected: p.correctedText !== null,
    confidence: p.confidence === null ? null : Math.round(p.confidence * 100),
  }));
  return {
    title: documentTitle(doc), doc, pages, errors, job: catalogue.jobOverview.latestForDocument(doc.id),
    fields: DUBLIN_CORE_FIELDS.map((f) => ({ name: f, value: form[f] ?? doc.metadata[f], multiline: f === 'description' })),
    years: describeYears(form.date ?? doc.metadata.date), admin: isAdmin(res),
  };
}

/** The document list, the review page (metadata, publishing, pages to correct) and deletion. */
export function documentRoutes(deps: StaffDeps): StaffRoute[] {
  const { archive } = deps;
  const actor = (res: Response) => currentUser(res)!.name;
  const load = (req: Request, res: Response) => staffDocument(archive, String(req.params.id), res);

  return [
    {
      method: 'get', path: '/staff', role: 'editor', body: 'none',
      handler: (req, res) => {
        const asked = req.query.view;
        const view = asked === 'unpublished' || (asked === 'hidden' && isAdmin(res)) ? asked : 'all';
        const documents = archive.catalogue.documents.listForStaff(view, 500);
        const jobCounts = archive.catalogue.jobOverview.countsByStatus();
        res.render('staff/dashboard', {
          title: res.locals.t('staffArea'), view, documents: documents.map((d) => ({ doc: d, title: documentTitle(d) })),
          jobCounts, admin: isAdmin(res), notice: noticeFrom(req),
        });
      },
    },
    {
      method: 'get', path: '/staff/documents/:id', role: 'editor', body: 'none',
      handler: (req, res) => {
        res.render('staff/document', { ...reviewModel(deps, load(req, res), res, {}, {}), notice: noticeFrom(req) });
      },
    },
    {
      method: 'post', path: '/staff/documents/:id/metadata', role: 'editor', body: 'form',
      handler: async (req, res) => {
        const doc = load(req, res);
        const { changes, errors } = parseMetadataInput(req.body, false);
        if (Object.keys(errors).length > 0) {
          const form = Object.fromEntries(Object.entries(req.body as Record<string, unknown>).filter(([, v]) => typeof v === 'string')) as Record<string, string>;
          res.status(400).render('staff/document', { ...reviewModel(deps, doc, res, form, errors), notice: null });
          return;
        }
        await editMetadata(archive, doc, changes, actor(res));
        res.redirect(303, `/staff/documents/${doc.id}?done=saved`);
      },
    },
    ...(['publish', 'unpublish'] as const).map((action): StaffRoute => ({
      method: 'post', path: `/staff/documents/:id/${action}`, role: 'editor', body: 'form',
      handler: async (req, res) => {
        const doc = load(req, res);
        await setPublished(archive, doc, action === 'publish', actor(res));
        res.redirect(303, `/staff/documents/${doc.id}?done=${action}ed`);
      },
    })),
    {
      method: 'post', path: '/staff/documents/:id/hide', role: 'admin', body: 'form',
      handler: async (req, res) => {
        const doc = load(req, res);
        if (!doc.deletedAt) await hideDocument(archive, doc, actor(res));
        res.redirect(303, `/staff/documents/${doc.id}?done=hidden`);
      },
    },
    {
      method: 'post', path: '/staff/documents/:id/restore', role: 'admin', body: 'form',
      handler: async (req, res) => {
        const doc = load(req, res);
        if (doc.deletedAt) await restoreDocument(archive, doc, actor(res));
        res.redirect(303, `/staff/documents/${doc.id}?done=restored`);
      },
    },
    {
      method: 'post', path: '/staff/documents/:id/purge', role: 'admin', body: 'form',
      handler: async (req, res) => {
        const doc = load(req, res);
        await purgeDocument(archive, doc, actor(res)).catch(translateCuration);
        res.redirect(303, '/staff?view=hidden&done=purged');
      },
    },
  ];
}
