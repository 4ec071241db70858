import express, { Router, type Request, type RequestHandler, type Response } from 'express';
import type { DocumentRecord } from '../../catalogue/types.ts';
import type { Role } from '../../catalogue/users.ts';
import { editMetadata, setPublished } from '../../curation.ts';
import { currentUser, requireRole, requireStaff } from '../auth.ts';
import { checkCsrf, csrfProtection } from '../csrf.ts';
import { HttpError, notFound } from '../errors.ts';
import { describeErrors, parseMetadataInput } from '../metadata-input.ts';
import { createUploadReceiver, jobEntry, parseUploadOptions, removeUploads, submitUploads } from '../upload.ts';
import { staffDocument } from '../visibility.ts';
import type { StaffDeps } from './staff.ts';

/** One staff API call; `body` as for staff pages, with `json` for PATCH. */
export interface StaffApiRoute {
  method: 'get' | 'post' | 'patch';
  path: string;
  role: Role;
  body: 'none' | 'json' | 'multipart';
  handler: RequestHandler;
}

/** The document as `GET /api/documents/:id` shows it. */
export function documentJson(doc: DocumentRecord) {
  return {
    id: doc.id, title: doc.metadata.title, collection: doc.collection?.slug ?? null, type: doc.metadata.type,
    date: doc.metadata.date, pages: doc.pageCount, published: doc.published, status: doc.status, metadata: doc.metadata,
  };
}

/** The staff JSON API of CONTRACT: upload, job status, publish/unpublish, metadata. Mounted under /api. */
export function staffApiRouteTable(deps: StaffDeps): StaffApiRoute[] {
  const { archive } = deps;
  const receive = createUploadReceiver(archive);
  const load = (req: Request, res: Response) => staffDocument(archive, String(req.params.id), res);
  const actor = (res: Response) => currentUser(res)!.name;

  return [
    {
      method: 'post', path: '/documents', role: 'editor', body: 'multipart',
      handler: async (req, res) => {
        const { files, fields } = await receive(req, res);
        let outcomes;
        try {
          checkCsrf(req, res);
          if (files.length === 0) throw new HttpError(400, 'no_files', '没有文件：请在 files 字段中上传 (no files in the "files" field)');
          outcomes = submitUploads(archive, files, { ...parseUploadOptions(fields), actor: actor(res) });
        } finally {
          removeUploads(files);
        }
        deps.worker?.poke();
        res.status(202).json({ jobs: outcomes.map(jobEntry) });
      },
    },
    {
      method: 'get', path: '/jobs/:id', role: 'editor', body: 'none',
      handler: (req, res) => {
        const job = archive.catalogue.jobs.get(String(req.params.id));
        if (!job) throw notFound('任务');
        staffDocument(archive, job.documentId, res);
        res.json({
          id: job.id, status: job.status, stage: job.stage, pagesDone: job.pagesDone, pagesTotal: job.pagesTotal,
          documentId: job.documentId, error: job.error,
        });
      },
    },
    ...(['publish', 'unpublish'] as const).map((action): StaffApiRoute => ({
      method: 'post', path: `/documents/:id/${action}`, role: 'editor', body: 'none',
      handler: async (req, res) => {
        const doc = load(req, res);
        res.json(documentJson(await setPublished(archive, doc, action === 'publish', actor(res))));
      },
    })),
    {
      method: 'patch', path: '/documents/:id', role: 'editor', body: 'json',
      handler: async (req, res) => {
        const doc = load(req, res);
        const { changes, errors, unknown } = parseMetadataInput(req.body, true);
        if (unknown.length > 0) throw new HttpError(400, 'unknown_field', `不是都柏林核心字段 (not Dublin Core fields): ${unknown.join(', ')}`);
        if (Object.keys(errors).length > 0) throw new HttpError(400, 'invalid_metadata', describeErrors(errors));
        res.json(documentJson(await editMetadata(archive, doc, changes, actor(res))));
      },
    },
  ];
}

const jsonBody = express.json({ limit: '256kb', type: () => true });

/** Refuses anything but JSON before parsing, so a form post cannot pass for a metadata change. */
const requireJson: RequestHandler = (req, _res, next) => {
  if (!req.is('application/json')) return next(new HttpError(415, 'unsupported_media_type', '请发送 application/json (send JSON)'));
  next();
};

export function staffApiRouter(deps: StaffDeps): Router {
  const router = Router();
  for (const route of staffApiRouteTable(deps)) {
    const chain: RequestHandler[] = [requireStaff('api'), requireRole(route.role)];
    if (route.body === 'json') chain.push(requireJson, jsonBody, csrfProtection);
    else if (route.body === 'none' && route.method !== 'get') chain.push(csrfProtection);
    router[route.method](route.path, ...chain, route.handler);
  }
  return router;
}
