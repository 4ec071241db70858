/**
 * The embed syntax with which a story cites an archive page:
 *
 *     {{page DOCID 12 region=120,340,800,260 quote="煤是从山里一筐一筐背出来的"}}
 *
 * a document id, a page number, and optionally a region of the page image (x,y,w,h in its pixels)
 * and the quoted passage. Attributes come in any order. Inside a quote, `\"` is a quotation mark and
 * `\\` a backslash; Chinese curly quotes (“…”), which an input method types, work as well. A
 * backslash before the opening braces (`\{{page …}}`) keeps the text literal (Markdown escaping).
 *
 * Pure: parsing never looks anything up; whether the page exists is decided when rendering.
 */
import type { Region } from '../catalogue/stories.ts';

export interface PageEmbed {
  documentId: string;
  pageNumber: number;
  region: Region | null;
  quote: string | null;
}

export type EmbedSyntaxProblem =
  | 'missing-document' | 'bad-document' | 'missing-page' | 'bad-page' | 'bad-region'
  | 'unknown-attribute' | 'duplicate-attribute' | 'unterminated-quote' | 'unterminated-embed' | 'unexpected-text';

export type EmbedParse =
  | { ok: true; embed: PageEmbed; source: string; start: number; end: number }
  /** `end` is just past the closing `}}` when there is one on the way, else the end of the line. */
  | { ok: false; problem: EmbedSyntaxProblem; source: string; start: number; end: number };

export const EMBED_OPENING = '{{page';
const CLOSING = '}}';
/** The same shape as document ids (the first hex digits of the original's SHA-256). */
const DOCUMENT_ID = /^[0-9a-z]{6,64}$/;
const PAGE_NUMBER = /^[1-9][0-9]{0,5}$/;
const REGION = /^(\d{1,6}),(\d{1,6}),(\d{1,6}),(\d{1,6})$/;
/** Opening quote → closing quote. */
const QUOTE_PAIRS: Record<string, string> = { '"': '"', '“': '”' };
const SPACE = /\s/;
const MAX_EMBED_LENGTH = 4000;

function isSpace(ch: string | undefined): boolean {
  return ch !== undefined && SPACE.test(ch);
}

/** Where a broken embed ends: past its `}}` if one comes before the line does, else at the line's end. */
function recoveryEnd(src: string, from: number): number {
  const line = src.indexOf('\n', from);
  const lineEnd = line === -1 ? src.length : line;
  const close = src.indexOf(CLOSING, from);
  return close !== -1 && close < lineEnd ? close + CLOSING.length : lineEnd;
}

/** Reads a quoted value starting at the opening quote; null when it never closes. */
function readQuoted(src: string, at: number, limit: number): { value: string; end: number } | null {
  const closing = QUOTE_PAIRS[src[at] ?? ''];
  if (closing === undefined) return null;
  let value = '';
  for (let i = at + 1; i < limit; i++) {
    const ch = src[i]!;
    if (ch === '\\' && (src[i + 1] === '\\' || src[i + 1] === closing || src[i + 1] === '"')) {
      value += src[i + 1];
      i++;
    } else if (ch === closing) {
      return { value, end: i + 1 };
    } else {
      value += ch;
    }
  }
  return null;
}

/** An unquoted word: up to whitespace or the closing braces. */
function readWord(src: string, at: number, limit: number): { value: string; end: number } {
  let i = at;
  while (i < limit && !isSpace(src[i]) && !src.startsWith(CLOSING, i)) i++;
  return { value: src.slice(at, i), end: i };
}

export function parseRegion(text: string): Region | null {
  const m = REGION.exec(text.trim());
  if (!m) return null;
  const [x, y, w, h] = m.slice(1).map(Number) as [number, number, number, number];
  return w > 0 && h > 0 ? { x, y, w, h } : null;
}

/**
 * Parses the embed that starts at `start`, or returns null when no embed starts there
 * (`{{page` followed by whitespace).
 */
export function parseEmbedAt(src: string, start: number): EmbedParse | null {
  if (!src.startsWith(EMBED_OPENING, start) || !isSpace(src[start + EMBED_OPENING.length])) return null;
  const limit = Math.min(src.length, start + MAX_EMBED_LENGTH);
  const fail = (problem: EmbedSyntaxProblem, from: number): EmbedParse => {
    const end = recoveryEnd(src, from);
    return { ok: false, problem, source: src.slice(start, end), start, end };
  };
  const bare: string[] = [];
  const attributes = new Map<string, string>();
  let i = start + EMBED_OPENING.length;
  for (;;) {
    while (i < limit && isSpace(src[i])) i++;
    if (i >= limit) return fail('unterminated-embed', start);
    if (src.startsWith(CLOSING, i)) {
      i += CLOSING.length;
      break;
    }
    const word = readWord(src, i, limit);
    const eq = word.value.indexOf('=');
    if (eq === -1) {
      bare.push(word.value);
      i = word.end;
      continue;
    }
    const name = word.value.slice(0, eq);
    if (name !== 'region' && name !== 'quote') return fail('unknown-attribute', i);
    if (attributes.has(name)) return fail('duplicate-attribute', i);
    const valueStart = i + eq + 1;
    if (QUOTE_PAIRS[src[valueStart] ?? ''] !== undefined) {
      const quoted = readQuoted(src, valueStart, limit);
      if (!quoted) return fail('unterminated-quote', valueStart);
      attributes.set(name, quoted.value);
      i = quoted.end;
    } else {
      const plain = readWord(src, valueStart, limit);
      attributes.set(name, plain.value);
      i = plain.end;
    }
  }
  const end = i;
  const problem = (p: EmbedSyntaxProblem): EmbedParse => ({ ok: false, problem: p, source: src.slice(start, end), start, end });
  const [documentId, page, ...rest] = bare;
  if (documentId === undefined) return problem('missing-document');
  if (!DOCUMENT_ID.test(documentId)) return problem('bad-document');
  if (page === undefined) return problem('missing-page');
  if (!PAGE_NUMBER.test(page)) return problem('bad-page');
  if (rest.length > 0) return problem('unexpected-text');
  let region: Region | null = null;
  const regionText = attributes.get('region');
  if (regionText !== undefined) {
    region = parseRegion(regionText);
    if (!region) return problem('bad-region');
  }
  const quote = attributes.get('quote')?.trim() || null;
  return { ok: true, embed: { documentId, pageNumber: Number(page), region, quote }, source: src.slice(start, end), start, end };
}

/** Writes an embed back in the syntax (used by the demo import and by tests); quotes are escaped. */
export function formatEmbed(embed: PageEmbed): string {
  const parts = [EMBED_OPENING, embed.documentId, String(embed.pageNumber)];
  if (embed.region) parts.push(`region=${embed.region.x},${embed.region.y},${embed.region.w},${embed.region.h}`);
  if (embed.quote) parts.push(`quote="${embed.quote.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`);
  return `${parts.join(' ')}}}`;
}
