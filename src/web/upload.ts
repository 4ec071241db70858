import fs from 'node:fs';
import path from 'node:path';
import type { Request, Response } from 'express';
import multer from 'multer';
import type { Archive } from '../archive.ts';
import { submitFile, type SubmitOptions, type SubmitOutcome } from '../../ingest/pipeline.ts';
import { decodeFileName } from '../../ingest/file-names.ts';
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
    // Browsers send file names as raw bytes without declaring a charset. Read them as latin1, which keeps
    // every byte, and decode them in `uploadFileName`: UTF-8 as a rule, GBK from old Windows systems.
    defParamCharset: 'latin1',
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
          // Multer's limits (LIMIT_*) and disk errors (E*) carry a code; the multipart parser's complaints
          // about the request itself ("Malformed part header", "Unexpected end of form") do not.
          const code = (error as { code?: unknown }).code;
          const size = limits.maxFileBytes / 1048576;
          const mib = size >= 1 ? String(Math.round(size)) : size.toFixed(2);
          reject(code === undefined
            ? new HttpError(400, 'malformed_upload', `上传数据格式错误 (malformed multipart upload: ${String((error as Error).message ?? error).slice(0, 100)})`)
            : code === 'LIMIT_FILE_SIZE'
              ? new HttpError(413, 'file_too_large', `文件超过大小限制 ${mib} MB (file too large: the limit is ${mib} MB)`)
              : error);
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

/**
 * The client's file name from multer's latin1 reading: its bytes decoded as UTF-8 or GBK. A name with
 * characters beyond latin1 was already decoded by the parser (an RFC 5987 `filename*`) and is kept.
 */
export function uploadFileName(originalname: string): string {
  return /[^\u0000-\u00ff]/.test(originalname) ? originalname : decodeFileName(Buffer.from(originalname, 'latin1'));
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
      const name = displayFileName(uploadFileName(f.originalname));
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
