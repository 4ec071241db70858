import { randomBytes } from 'node:crypto';

/**
 * What must happen to each file of fixtures/invalid: refused from its bytes at once (no trace but the
 * audit log), failed in its job (document marked failed, original kept, nothing searchable), or imported.
 */
export interface BadInput {
  file: string;
  outcome: 'rejected' | 'failed' | 'imported';
  /** The one-line error, for refusals and failures. */
  error?: RegExp;
}

export const BAD_INPUT: readonly BadInput[] = [
  { file: 'empty.pdf', outcome: 'rejected', error: /^the file is empty \(0 bytes\)$/ },
  { file: 'text-renamed.pdf', outcome: 'rejected', error: /^the file is named \.pdf but holds plain text, not a PDF; rename it \.txt/ },
  { file: 'truncated.pdf', outcome: 'failed', error: /^the PDF cannot be read \(Invalid PDF structure\.\)$/ },
  { file: 'encrypted-password.pdf', outcome: 'failed', error: /^the PDF is encrypted with a password; remove the password and upload it again$/ },
  { file: 'javascript-launch.pdf', outcome: 'imported' },
  { file: 'blank-5000-pages.pdf', outcome: 'failed', error: /^the PDF has 5000 pages; the limit is 2000/ },
  { file: 'page-tree-loop.pdf', outcome: 'failed', error: /^the PDF cannot be read \(Pages tree contains circular reference\.\)$/ },
  { file: 'bomb-30000x30000.png', outcome: 'failed', error: /^the image has 30000×30000 pixels \(900 megapixels\), over the limit of 120 megapixels/ },
  { file: 'truncated.png', outcome: 'failed', error: /^page 1: the image could not be decoded \(.+\)$/ },
  { file: 'corrupt.jpg', outcome: 'failed', error: /^the image is damaged and cannot be read \(.*JPEG.*\)$/ },
  { file: 'broken-ifd.tif', outcome: 'failed', error: /^the image is damaged and cannot be read \(.+\)$/ },
  { file: 'html-page.pdf', outcome: 'rejected', error: /^unsupported file type: HTML page; accepted: PDF, JPEG, PNG, TIFF/ },
  { file: 'saved-page.htm', outcome: 'rejected', error: /^unsupported file type: HTML page/ },
  { file: 'zip-archive.zip', outcome: 'rejected', error: /^unsupported file type: ZIP archive; unpack it/ },
  { file: 'word-document.docx', outcome: 'rejected', error: /^unsupported file type: Office document \(DOCX\/XLSX\/PPTX\); save it as PDF/ },
  { file: 'tiny.gif', outcome: 'rejected', error: /^unsupported file type: GIF image/ },
  { file: 'not-a-pdf.bin', outcome: 'rejected', error: /^unsupported file type \(not PDF, JPEG, PNG, TIFF/ },
];

/** A form field, or a file whose name is raw bytes (`filename="…"`) or an RFC 5987 value (`filename*=UTF-8''…`). */
export type MultipartPart =
  | { name: string; value: string }
  | { name: string; filename: Buffer; data: Buffer }
  | { name: string; filenameStar: string; data: Buffer };

/**
 * A multipart/form-data body written byte by byte, so a file name can carry exactly the bytes a test
 * needs (a NUL, GBK) — form libraries would re-encode or refuse them.
 */
export function multipartBody(parts: readonly MultipartPart[]): { bytes: Buffer; type: string } {
  const boundary = `----wenshi${randomBytes(8).toString('hex')}`;
  const chunks: Buffer[] = [];
  for (const part of parts) {
    chunks.push(Buffer.from(`--${boundary}\r\n`));
    if ('value' in part) {
      chunks.push(Buffer.from(`Content-Disposition: form-data; name="${part.name}"\r\n\r\n${part.value}\r\n`));
    } else if ('filenameStar' in part) {
      chunks.push(
        Buffer.from(`Content-Disposition: form-data; name="${part.name}"; filename*=UTF-8''${part.filenameStar}\r\nContent-Type: application/octet-stream\r\n\r\n`),
        part.data,
        Buffer.from('\r\n'),
      );
    } else {
      chunks.push(
        Buffer.from(`Content-Disposition: form-data; name="${part.name}"; filename="`),
        part.filename,
        Buffer.from('"\r\nContent-Type: application/octet-stream\r\n\r\n'),
        part.data,
        Buffer.from('\r\n'),
      );
    }
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { bytes: Buffer.concat(chunks), type: `multipart/form-data; boundary=${boundary}` };
}
