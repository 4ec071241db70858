import type { ErrorRequestHandler, Request } from 'express';
import { SearchUnavailableError } from '../search/meili-client.ts';

/** An error with an HTTP meaning; everything else becomes a 500 whose details stay in the log. */
export class HttpError extends Error {
  override readonly name = 'HttpError';
  constructor(readonly status: number, readonly code: string, message: string) {
    super(message);
  }
}

export const notFound = (what = '页面') => new HttpError(404, 'not_found', `${what}不存在`);

interface Translated { status: number; code: string; message: string }

/** The one place where errors become HTTP: typed errors map to a status and a reader-safe message. */
export function translateError(error: unknown): Translated {
  if (error instanceof HttpError) return { status: error.status, code: error.code, message: error.message };
  if (error instanceof SearchUnavailableError) {
    return { status: 503, code: 'search_unavailable', message: '检索服务暂时不可用，请稍后再试。Search is temporarily unavailable.' };
  }
  const e = error as { status?: number; type?: string; code?: string } | null;
  if (e?.type === 'entity.parse.failed') return { status: 400, code: 'bad_request', message: '请求格式错误 (malformed request body)' };
  if (e?.code === 'LIMIT_FILE_SIZE') return { status: 413, code: 'file_too_large', message: '文件超过大小限制 (file too large)' };
  if (e?.code === 'LIMIT_FILE_COUNT' || e?.code === 'LIMIT_UNEXPECTED_FILE') return { status: 400, code: 'too_many_files', message: '文件数量超过限制 (too many files)' };
  return { status: 500, code: 'internal_error', message: '服务器内部错误 (internal error)' };
}

function wantsJson(req: Request): boolean {
  return req.path.startsWith('/api/') || req.path.startsWith('/iiif/') || req.path === '/healthz';
}

export function errorHandler(log: (error: unknown) => void): ErrorRequestHandler {
  return (error, req, res, _next) => {
    const t = translateError(error);
    if (t.status >= 500 && t.code === 'internal_error') log(error);
    if (res.headersSent) return;
    res.status(t.status);
    if (wantsJson(req)) {
      res.json({ error: { code: t.code, message: t.message } });
    } else {
      res.render('error', { title: String(t.status), status: t.status, message: t.message });
    }
  };
}
