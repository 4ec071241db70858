import fs from 'node:fs';
import path from 'node:path';
import type { Request, Response } from 'express';
import multer from 'multer';
import type { Archive } from '../archive.ts';
import { submitFile, type SubmitOptions, type SubmitOutcome } from '../../ingest/pipeline.ts';
import type { DublinCore } from '../catalogue/types.ts';
import { parseLanguageChoice } from '../../ingest/languages.ts';
import { HttpError } from './errors.ts';
import { describeErrors, isDublinCoreField, parseMetadataInput } from './metadata-input.ts';

/**
 * Receiving uploads (multer 2): files stream to a private temporary folder under random names, within
 * the configured limits, and are always removed once submitted. The client's file name is kept only as
 * a label; it never becomes part of a path.
 */
export interface ReceivedUpload {
  files: Express.Multer.File[];
  fields: Record<string, string>;
}

export function uploadTempDir(dataDir: string): string {
  return path.join(dataDir, 'upload-tmp');
}

export function createUploadReceiver(archive: Archive) {
  const { limits, dataDir } = archive.config;
  const receive = multer({
    storage: multer.diskStorage({ destination: uploadTempDir(dataDir) }),
    limits: { fileSize: limits.maxFileBytes, files: limits.maxFilesPerRequest, fields: 50, fieldSize: 64 * 1024, parts: limits.maxFilesPerRequest + 50 },
    // Browsers send UTF-8 file names without declaring a charset; latin1 would turn 石炭井.pdf into mojibake.
    defParamCharset: 'utf8',
  }).array('files', limits.maxFilesPerRequest);

  return (req: Request, res: Response): Promise<ReceivedUpload> => {
    if (!req.is('multipart/form-data')) {
      return Promise.reject(new HttpError(415, 'unsupported_media_type', '请以 multipart/form-data 上传文件 (send multipart/form-data)'));
    }
    return new Promise((resolve, reject) => {
      receive(req, res, (error: unknown) => {
        const files = (req.files as Express.Multer.File[] | undefined) ?? [];
        if (error) {
          removeUploads(files);
          reject(error);
          return;
        }
        const fields: Record<string, string> = {};
        for (const [k, v] of Object.entries((req.body ?? {}) as Record<string, unknown>)) {
          if (typeof v === 'string') fields[k] = v;
          else if (Array.isArray(v) && typeof v[0] === 'string') fields[k] = v[0];
        }
        resolve({ files, fields });
      });
    });
  };
}

export function removeUploads(files: Express.Multer.File[]): void {
  for (const f of files) if (f.path) fs.rmSync(f.path, { force: true });
}

/** A client file name as a label: no folders, no control characters, bounded length. */
export function displayFileName(name: string): string {
  const base = name.replace(/\\/g, '/').split('/').pop() ?? '';
  const clean = base.replace(/[\u0000-\u001f\u007f]/g, '').trim().slice(0, 200);
  return clean || 'upload';
}

/**
 * Submits every received file to the pipeline (type by bytes, duplicate by SHA-256) and removes the
 * temporary files whatever happens.
 */
export function submitUploads(archive: Archive, files: Express.Multer.File[], options: SubmitOptions): SubmitOutcome[] {
  try {
    return files.map((f) => {
      const name = displayFileName(f.originalname);
      const bytes = fs.readFileSync(f.path);
      fs.rmSync(f.path, { force: true });
      return submitFile(bytes, name, options, archive);
    });
  } finally {
    removeUploads(files);
  }
}

const SLUG = /^[A-Za-z0-9][A-Za-z0-9_-]{0,79}$/;

export interface UploadOptions {
  collection?: string;
  collectionTitle?: string;
  lang: string;
  publish: boolean;
  metadata: Partial<DublinCore>;
}

/**
 * The non-file fields of an upload (page or API): `collection` (a slug, created when missing, with
 * `collectionTitle`), `lang` (auto or OCR languages joined with +), `publish`, and Dublin Core fields.
 */
export function parseUploadOptions(fields: Record<string, string>): UploadOptions {
  const problems: string[] = [];
  const collection = (fields.collection ?? '').trim();
  if (collection && !SLUG.test(collection)) problems.push('collection: 文集代号只能包含字母、数字、- 和 _ (letters, digits, - and _)');
  const collectionTitle = (fields.collectionTitle ?? '').trim().slice(0, 200) || undefined;
  let lang = 'auto';
  try {
    const choice = parseLanguageChoice((fields.lang ?? 'auto').trim() || 'auto');
    lang = choice === 'auto' ? 'auto' : choice.join('+');
  } catch (error) {
    problems.push(`lang: ${(error as Error).message}`);
  }
  const dc = Object.fromEntries(Object.entries(fields).filter(([k, v]) => isDublinCoreField(k) && v.trim() !== ''));
  const { changes, errors } = parseMetadataInput(dc, false);
  if (Object.keys(errors).length > 0) problems.push(describeErrors(errors));
  if (problems.length > 0) throw new HttpError(400, 'bad_request', problems.join('; '));
  return { collection: collection || undefined, collectionTitle, lang, publish: ['1', 'on', 'true', 'yes'].includes(fields.publish ?? ''), metadata: changes };
}

/** The job list entry of CONTRACT for one submitted file. */
export function jobEntry(outcome: SubmitOutcome) {
  return {
    id: outcome.status === 'queued' ? outcome.job.id : null,
    file: outcome.fileName,
    status: outcome.status,
    documentId: outcome.status === 'rejected' ? null : outcome.documentId,
    error: outcome.status === 'rejected' ? outcome.error : null,
  };
}
