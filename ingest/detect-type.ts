/**
 * What the archive accepts, decided by the file's bytes (never by its name alone). One table: the
 * upload form's `accept=` attribute, the CLI and the pipeline all read it.
 */
export type MediaKind = 'pdf' | 'image' | 'text';

export interface AcceptedType {
  mediaType: string;
  kind: MediaKind;
  extensions: string[];
  label: string;
  matches(head: Buffer): boolean;
}

const startsWith = (head: Buffer, bytes: number[], at = 0) => bytes.every((b, i) => head[at + i] === b);

export const ACCEPTED_TYPES: readonly AcceptedType[] = [
  { mediaType: 'application/pdf', kind: 'pdf', extensions: ['.pdf'], label: 'PDF', matches: (h) => h.subarray(0, 1024).includes('%PDF-') },
  { mediaType: 'image/jpeg', kind: 'image', extensions: ['.jpg', '.jpeg'], label: 'JPEG', matches: (h) => startsWith(h, [0xff, 0xd8, 0xff]) },
  { mediaType: 'image/png', kind: 'image', extensions: ['.png'], label: 'PNG', matches: (h) => startsWith(h, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]) },
  {
    mediaType: 'image/tiff', kind: 'image', extensions: ['.tif', '.tiff'], label: 'TIFF',
    matches: (h) => startsWith(h, [0x49, 0x49, 0x2a, 0x00]) || startsWith(h, [0x4d, 0x4d, 0x00, 0x2a]),
  },
  { mediaType: 'text/plain', kind: 'text', extensions: ['.txt'], label: '文本 (UTF-8/UTF-16/GB18030)', matches: looksLikeText },
];

const isZip = (h: Buffer) => startsWith(h, [0x50, 0x4b, 0x03, 0x04]) || startsWith(h, [0x50, 0x4b, 0x05, 0x06]);

/**
 * An HTML page, also as browsers save it: a byte-order mark, blank lines and comments (`<!-- saved from
 * url=… -->`) may come before the doctype. Without skipping them such a page passed for a transcription.
 */
function looksLikeHtml(head: Buffer): boolean {
  let text = head.subarray(0, 2048).toString('utf8').replace(/^\uFEFF/, '');
  for (;;) {
    text = text.trimStart();
    if (!text.startsWith('<!--')) break;
    const end = text.indexOf('-->');
    if (end < 0) return false;
    text = text.slice(end + 3);
  }
  return /^(<!doctype html|<html|<head|<body)/i.test(text);
}

/** Formats we recognise in order to refuse them by name, rather than with a vague "unknown type". */
const REFUSED: Array<{ what: string; matches(head: Buffer): boolean }> = [
  {
    what: 'Office document (DOCX/XLSX/PPTX); save it as PDF and upload the PDF',
    matches: (h) => isZip(h) && /\[Content_Types\]\.xml|word\/|xl\/|ppt\//.test(h.subarray(0, 4096).toString('latin1')),
  },
  { what: 'ZIP archive; unpack it and upload the files inside', matches: isZip },
  { what: 'HTML page', matches: looksLikeHtml },
  { what: 'GIF image', matches: (h) => h.subarray(0, 4).toString('latin1') === 'GIF8' },
  { what: 'WebP image', matches: (h) => h.subarray(0, 4).toString('latin1') === 'RIFF' && h.subarray(8, 12).toString('latin1') === 'WEBP' },
];

export class UnsupportedFileError extends Error {
  override readonly name = 'UnsupportedFileError';
  constructor(message: string, readonly code: 'empty-file' | 'unsupported-type' | 'type-mismatch') {
    super(message);
  }
}

/** Plain text: a UTF-16 BOM, or bytes with no NUL and few control characters (UTF-8 or GB18030 are checked when decoding). */
function looksLikeText(head: Buffer): boolean {
  if (startsWith(head, [0xff, 0xfe]) || startsWith(head, [0xfe, 0xff])) return true;
  if (head.length === 0) return false;
  let control = 0;
  for (const b of head) {
    if (b === 0) return false;
    if (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d && b !== 0x0c) control++;
  }
  return control / head.length < 0.01;
}

/**
 * The type of a file from its bytes. With `fileName`, a name that promises a binary format (a PDF, an
 * image) while the bytes are merely text is refused: "text" is only a guess from the absence of binary
 * bytes, and such a file is far more often a failed download or an error page than a transcription.
 */
export function detectType(bytes: Buffer, fileName?: string): AcceptedType {
  if (bytes.length === 0) throw new UnsupportedFileError('the file is empty (0 bytes)', 'empty-file');
  const head = bytes.subarray(0, 4096);
  const refused = REFUSED.find((r) => r.matches(head));
  if (refused) throw new UnsupportedFileError(`unsupported file type: ${refused.what}; accepted: ${acceptedLabels()}`, 'unsupported-type');
  const found = ACCEPTED_TYPES.find((t) => t.matches(head));
  if (!found) throw new UnsupportedFileError(`unsupported file type (not ${acceptedLabels()})`, 'unsupported-type');
  const extension = fileName ? /\.[A-Za-z0-9]{1,5}$/.exec(fileName)?.[0].toLowerCase() : undefined;
  const promised = extension ? ACCEPTED_TYPES.find((t) => t.extensions.includes(extension)) : undefined;
  if (found.kind === 'text' && promised && promised.kind !== 'text') {
    throw new UnsupportedFileError(`the file is named ${extension} but holds plain text, not a ${promised.label}; rename it .txt to import it as a transcription`, 'type-mismatch');
  }
  return found;
}

export function acceptedLabels(): string {
  return ACCEPTED_TYPES.map((t) => t.label.split(' ')[0]).join(', ');
}

/** The upload form's `accept=` value. */
export function acceptAttribute(): string {
  return ACCEPTED_TYPES.flatMap((t) => [t.mediaType, ...t.extensions]).join(',');
}
