import type { Request } from 'express';
import type { DocumentRecord } from '../catalogue/types.ts';

/** Rights statements that withhold copies: 禁止下载, 不得复制, 仅供阅览, "no download". */
const WITHHELD = /(?:禁止|不得|不可|不提供|谢绝)(?:下载|复制|转载)|仅(?:供|限)(?:在线)?阅(?:览|读)|no\s+download/i;

/**
 * Whether the public may download a document's original file: published, visible, and no rights statement
 * withholding copies. Unpublished documents never, whoever asks — staff have their own workspace.
 */
export function originalDownloadable(doc: DocumentRecord): boolean {
  return doc.published && !doc.deletedAt && doc.status === 'ready' && !WITHHELD.test(doc.metadata.rights);
}

const EXTENSIONS: Record<string, string> = {
  'application/pdf': '.pdf', 'image/jpeg': '.jpg', 'image/png': '.png', 'image/tiff': '.tif', 'image/webp': '.webp',
  'image/gif': '.gif', 'text/plain': '.txt',
};

/**
 * A file name for the download that cannot do harm: no folders, no control or quote characters, at most 120
 * characters, and the extension of what the file really is. Express writes it as an RFC 6266 header with an
 * ASCII fallback and the UTF-8 name, so Chinese names arrive intact.
 */
export function downloadFileName(doc: DocumentRecord): string {
  const extension = EXTENSIONS[doc.mediaType] ?? '';
  const base = (doc.originalName.split(/[\\/]/).pop() ?? '')
    .replace(/\.[A-Za-z0-9]{1,5}$/, '')
    .replace(/[\u0000-\u001f\u007f"*:<>?|\\/;]/g, '')
    .replace(/^\.+/, '')
    .trim()
    .slice(0, 120);
  return `${base || doc.id}${extension}`;
}

/** `https://host` of the request, for permalinks and IIIF ids. Behind a proxy, Express's "trust proxy" decides. */
export function requestOrigin(req: Request): string {
  return `${req.protocol}://${req.get('host') ?? 'localhost'}`;
}
