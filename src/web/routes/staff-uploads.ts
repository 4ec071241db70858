import { createHash } from 'node:crypto';
import type { Response } from 'express';
import { acceptAttribute, acceptedLabels } from '../../../ingest/detect-type.ts';
import { LANGUAGE_LABELS, OCR_LANGUAGES } from '../../../ingest/languages.ts';
import { retryJob } from '../../curation.ts';
import { currentUser } from '../auth.ts';
import { checkCsrf } from '../csrf.ts';
import { HttpError, notFound } from '../errors.ts';
import { createUploadReceiver, jobEntry, parseUploadOptions, removeUploads, submitUploads } from '../upload.ts';
import { isAdmin } from '../visibility.ts';
import { translateCuration } from './staff-documents.ts';
import type { StaffDeps, StaffRoute } from './staff.ts';

/** The fields offered on the upload form besides files (the rest is edited on the review page). */
const UPLOAD_METADATA = ['title', 'creator', 'date', 'type', 'publisher', 'source'] as const;

/** A slug for a collection created from its (often Chinese) title alone. */
function slugForTitle(title: string): string {
  const ascii = title.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40);
  return ascii || `c-${createHash('sha256').update(title).digest('hex').slice(0, 8)}`;
}

/** Upload page, its result, the jobs page and retries. */
export function uploadRoutes(deps: StaffDeps): StaffRoute[] {
  const { archive } = deps;
  const receive = createUploadReceiver(archive);
  const { limits } = archive.config;

  const renderForm = (res: Response, status = 200, error: string | null = null) => {
    res.status(status).render('staff/upload', {
      title: res.locals.t('upload'), accept: acceptAttribute(), acceptedLabels: acceptedLabels(), error,
      collections: archive.catalogue.collections.listWithCounts(true),
      languages: [['auto', LANGUAGE_LABELS.auto], ...OCR_LANGUAGES.map((l) => [l, LANGUAGE_LABELS[l]])],
      metadataFields: UPLOAD_METADATA, maxMegabytes: Math.round(limits.maxFileBytes / 1048576), maxFiles: limits.maxFilesPerRequest,
    });
  };

  return [
    { method: 'get', path: '/staff/upload', role: 'editor', body: 'none', handler: (_req, res) => renderForm(res) },
    {
      method: 'post', path: '/staff/upload', role: 'editor', body: 'multipart',
      handler: async (req, res) => {
        const { files, fields } = await receive(req, res);
        let outcomes;
        try {
          checkCsrf(req, res);
          if (files.length === 0) {
            renderForm(res, 400, res.locals.t('noFilesChosen'));
            return;
          }
          if (fields.collection === '__new__') {
            const title = (fields.collectionTitle ?? '').trim();
            if (!title) throw new HttpError(400, 'bad_request', res.locals.t('newCollectionNeedsTitle'));
            fields.collection = (fields.collectionSlug ?? '').trim() || slugForTitle(title);
          }
          if (files.length > 1) delete fields.title;
          const options = parseUploadOptions(fields);
          outcomes = submitUploads(archive, files, { ...options, actor: currentUser(res)!.name });
        } finally {
          removeUploads(files);
        }
        deps.worker?.poke();
        const entries = outcomes.map((o) => ({ ...jobEntry(o), existing: o.status === 'duplicate' ? archive.catalogue.documents.get(o.documentId) : null }));
        res.render('staff/upload-result', { title: res.locals.t('uploadResult'), entries });
      },
    },
    {
      method: 'get', path: '/staff/jobs', role: 'editor', body: 'none',
      handler: (_req, res) => {
        res.render('staff/jobs', { title: res.locals.t('jobs'), jobs: archive.catalogue.jobOverview.recent(200, isAdmin(res)) });
      },
    },
    {
      method: 'post', path: '/staff/jobs/:id/retry', role: 'editor', body: 'form',
      handler: (req, res) => {
        const job = archive.catalogue.jobs.get(String(req.params.id));
        if (!job) throw notFound('任务');
        try {
          retryJob(archive, job, currentUser(res)!.name);
        } catch (error) {
          translateCuration(error);
        }
        deps.worker?.poke();
        res.redirect(303, '/staff/jobs');
      },
    },
  ];
}
