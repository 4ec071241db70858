/**
 * Search-result snippets built in the service from the stored page text. Meilisearch's own
 * highlighting cannot be used: it sees the space-separated character tokens, not the printed text.
 * Matching happens on the normalised text; `map` carries each match back to the characters as
 * printed, so a query typed in traditional script marks the simplified original and vice versa.
 */
import { makeWellFormed, normalizeText, type NormalizedText } from './normalize.ts';
import { findMatches, type ParsedQuery } from './query.ts';

export interface Snippet {
  /** Safe HTML: all text escaped, only `<mark>` added. */
  html: string;
  /** Total number of matches on the page (all terms, all passages). */
  occurrences: number;
}

export interface SnippetOptions {
  /** Characters (UTF-16 units) shown on each side of a match; default 40. */
  context?: number;
  /** Passages at most; default 3. 0 gives empty HTML (only the count is wanted). */
  maxPassages?: number;
  /** The page's normalised text, when the caller already has it (saves normalising twice). */
  normalized?: NormalizedText;
}

interface Range { start: number; end: number }
interface TermRange extends Range { terms: number[] }

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] ?? c);
}

const MARK = /^\p{M}$/u;

/** UTF-16 length of the code point starting at `at`. */
function unitLength(s: string, at: number): number {
  const c = s.charCodeAt(at);
  const next = s.charCodeAt(at + 1);
  return c >= 0xd800 && c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff ? 2 : 1;
}

/**
 * Matches as ranges of the original, overlapping ones merged. The end is taken after the last
 * matched character (not at the next kept one) so that spaces after a match stay unmarked, plus
 * any combining marks that belong to it (normalisation dropped them).
 */
function originalRanges(original: string, norm: NormalizedText, q: ParsedQuery): { ranges: TermRange[]; count: number } {
  const matches = findMatches(norm.text, q);
  const ranges: TermRange[] = [];
  for (const m of matches) {
    const start = norm.map[m.start] ?? 0;
    const lastStart = norm.map[m.end - 1] ?? start;
    let end = lastStart + unitLength(original, lastStart);
    while (end < original.length && MARK.test(original[end] ?? '')) end++;
    const prev = ranges[ranges.length - 1];
    if (prev !== undefined && start < prev.end) {
      prev.end = Math.max(prev.end, end);
      if (!prev.terms.includes(m.term)) prev.terms.push(m.term);
    } else {
      ranges.push({ start, end, terms: [m.term] });
    }
  }
  return { ranges, count: matches.length };
}

/** Match ranges in the original text (UTF-16 offsets, end exclusive), for the page viewer and image highlights. */
export function matchRangesInOriginal(original: string, q: ParsedQuery, normalized?: NormalizedText): Range[] {
  const norm = normalized ?? normalizeText(original);
  return originalRanges(original, norm, q).ranges.map(({ start, end }) => ({ start, end }));
}

/** Move a cut off the second half of a surrogate pair. */
function snapStart(s: string, at: number): number {
  return at > 0 && at < s.length && unitLength(s, at - 1) === 2 ? at - 1 : at;
}
function snapEnd(s: string, at: number): number {
  return at > 0 && at < s.length && unitLength(s, at - 1) === 2 ? at + 1 : at;
}

/** Escaped display text: whitespace runs (newlines too) and control characters become one space. */
function displayText(s: string): string {
  return escapeHtml(makeWellFormed(s).replace(/[\s\p{Cc}]+/gu, ' '));
}

interface Passage extends Range { marks: TermRange[] }

/** Windows of `context` around each match; windows that touch or overlap become one passage. */
function passages(original: string, ranges: TermRange[], context: number): Passage[] {
  const out: Passage[] = [];
  for (const r of ranges) {
    const start = snapStart(original, Math.max(0, r.start - context));
    const end = snapEnd(original, Math.min(original.length, r.end + context));
    const prev = out[out.length - 1];
    if (prev !== undefined && start <= prev.end) {
      prev.end = Math.max(prev.end, end);
      prev.marks.push(r);
    } else {
      out.push({ start, end, marks: [r] });
    }
  }
  return out;
}

/**
 * Which passages to show: first those that bring a query term not yet shown (so a two-term query
 * shows both terms even when the first term occurs often), then the rest in page order.
 */
function choosePassages(all: Passage[], max: number): Passage[] {
  const chosen = new Set<Passage>();
  const shown = new Set<number>();
  for (const p of all) {
    if (chosen.size >= max) break;
    const terms = p.marks.flatMap((m) => m.terms);
    if (terms.some((t) => !shown.has(t))) {
      chosen.add(p);
      for (const t of terms) shown.add(t);
    }
  }
  for (const p of all) {
    if (chosen.size >= max) break;
    chosen.add(p);
  }
  return all.filter((p) => chosen.has(p));
}

function renderPassage(original: string, p: Passage): string {
  let html = p.start > 0 ? '…' : '';
  let at = p.start;
  for (const m of p.marks) {
    const before = displayText(original.slice(at, m.start));
    html += at === p.start ? before.trimStart() : before;
    html += `<mark>${displayText(original.slice(m.start, m.end))}</mark>`;
    at = m.end;
  }
  html += displayText(original.slice(at, p.end)).trimEnd();
  return p.end < original.length ? `${html}…` : html;
}

/** The start of the page, for results without a match to show (e.g. a query of negations only). */
function openingPassage(original: string, length: number): string {
  const collapsed = makeWellFormed(original.slice(0, length * 2 + 2)).replace(/[\s\p{Cc}]+/gu, ' ').trim();
  const cut = snapEnd(collapsed, Math.min(collapsed.length, length));
  const more = cut < collapsed.length || original.length > length * 2 + 2;
  return escapeHtml(collapsed.slice(0, cut)) + (more ? '…' : '');
}

/**
 * Up to `maxPassages` passages of the original text around the matches, every match wrapped in
 * `<mark>`, '…' where a passage is cut from the page. Without any match, the opening of the page.
 */
export function buildSnippet(original: string, q: ParsedQuery, opts: SnippetOptions = {}): Snippet {
  const context = Math.max(0, opts.context ?? 40);
  const maxPassages = Math.max(0, opts.maxPassages ?? 3);
  const norm = opts.normalized ?? normalizeText(original);
  const { ranges, count } = originalRanges(original, norm, q);
  if (maxPassages === 0) return { html: '', occurrences: count };
  if (ranges.length === 0) return { html: openingPassage(original, context * 2), occurrences: 0 };
  const shown = choosePassages(passages(original, ranges, context), maxPassages);
  return { html: shown.map((p) => renderPassage(original, p)).join(' '), occurrences: count };
}
