/**
 * Story bodies: Markdown (markdown-it, raw HTML off, so whatever an editor types is shown as text)
 * with archive embeds. `{{page …}}` on a line of its own becomes a figure — the page picture, the
 * quoted passage, the reference — and inside a sentence a numbered citation mark. Both feed the
 * numbered reference list the story ends with.
 *
 * An embed that cannot be shown publicly (bad syntax, a missing, hidden or unpublished page) renders
 * nothing for the public; staff see a notice in its place and get it in `problems`.
 */
import MarkdownIt, { type StateBlock, type StateCore, type StateInline, type Token } from 'markdown-it';
import { foldQuery, normalizeText } from '../search/normalize.ts';
import { escapeHtml } from '../search/snippet.ts';
import { EMBED_OPENING, parseEmbedAt, type EmbedParse, type EmbedSyntaxProblem, type PageEmbed } from './embed-syntax.ts';
import { pageCropUrl, type CitationProblem, type CitedPage, type CitePage } from './page-citations.ts';
import { quoteRegion } from './quote-region.ts';
import { chineseScript } from './text-script.ts';

export type EmbedWarning = 'quote-not-found' | 'region-outside' | 'no-image';
export type EmbedProblemKind = EmbedSyntaxProblem | CitationProblem | EmbedWarning;

export interface EmbedProblem {
  kind: EmbedProblemKind;
  /** Errors hide the embed from the public; warnings are shown to staff and the embed still renders. */
  severity: 'error' | 'warning';
  /** The embed as written, to find it in the body. */
  source: string;
}

export interface StoryReference {
  number: number;
  page: CitedPage;
}

export interface StoryLabels {
  viewPage: string;
  /** Alt text of a page picture without captions. */
  pageAlt(documentTitle: string, pageNumber: number): string;
  regionSuffix: string;
  citation(n: number): string;
  problem(kind: EmbedProblemKind): string;
}

export interface RenderOptions {
  cite: CitePage;
  audience: 'public' | 'staff';
  labels: StoryLabels;
}

export interface RenderedStory {
  /** Safe HTML: Markdown rendered without raw HTML, every embedded value escaped. */
  html: string;
  references: StoryReference[];
  problems: EmbedProblem[];
}

/** Per-render state, carried through markdown-it as its `env`. */
interface RenderEnv extends RenderOptions {
  cited: Map<string, StoryReference>;
  problems: EmbedProblem[];
}

/** Errors hide an embed; these only warn. */
const WARNINGS = new Set<EmbedProblemKind>(['quote-not-found', 'region-outside', 'no-image']);

function pageEmbedBlock(state: StateBlock, startLine: number, endLine: number, silent: boolean): boolean {
  if (state.sCount[startLine]! - state.blkIndent >= 4) return false;
  const pos = state.bMarks[startLine]! + state.tShift[startLine]!;
  if (!state.src.startsWith(EMBED_OPENING, pos)) return false;
  const parsed = parseEmbedAt(state.src, pos);
  if (!parsed) return false;
  let line = startLine;
  while (line < endLine - 1 && state.eMarks[line]! < parsed.end) line++;
  // A figure only when the embed stands alone on its lines; otherwise it is a citation in the text.
  if (state.eMarks[line]! < parsed.end || state.src.slice(parsed.end, state.eMarks[line]).trim() !== '') return false;
  if (silent) return true;
  const token = state.push('page_embed', '', 0);
  token.meta = parsed;
  token.block = true;
  token.map = [startLine, line + 1];
  state.line = line + 1;
  return true;
}

function pageEmbedInline(state: StateInline, silent: boolean): boolean {
  if (state.src.charCodeAt(state.pos) !== 0x7b /* { */) return false;
  const parsed = parseEmbedAt(state.src, state.pos);
  if (!parsed) return false;
  if (!silent) state.push('page_cite', '', 0).meta = parsed;
  state.pos = parsed.end;
  return true;
}

/**
 * The story's title is the page's h1: the body's highest heading becomes h2 and the others follow, so
 * the outline has no gaps whether the editor wrote `#` or `##` for a section.
 */
function shiftHeadings(state: StateCore): void {
  const headings = state.tokens.filter((t) => t.type === 'heading_open' || t.type === 'heading_close');
  if (headings.length === 0) return;
  const shift = 2 - Math.min(...headings.map((t) => Number(t.tag.slice(1))));
  for (const token of headings) token.tag = `h${Math.min(6, Number(token.tag.slice(1)) + shift)}`;
}

const CJK = /[\p{Script=Han}\u3000-\u303f\uff00-\uffef]/u;

/**
 * A line break inside a Chinese paragraph is where the editor's window wrapped, not a space: between
 * two Chinese characters it is dropped instead of showing as a gap.
 */
function joinChineseLines(state: StateCore): void {
  for (const block of state.tokens) {
    const children = block.children ?? [];
    for (let i = 1; i < children.length - 1; i++) {
      const before = children[i - 1]!;
      const after = children[i + 1]!;
      if (children[i]!.type !== 'softbreak' || before.type !== 'text' || after.type !== 'text') continue;
      if (CJK.test(before.content.slice(-1)) && CJK.test(after.content.slice(0, 1))) {
        children[i]!.type = 'text';
        children[i]!.content = '';
      }
    }
  }
}

function createMarkdown() {
  const md = new MarkdownIt({ html: false, linkify: false, typographer: false });
  md.block.ruler.before('paragraph', 'page_embed', pageEmbedBlock, { alt: ['paragraph', 'blockquote', 'list'] });
  md.inline.ruler.before('backticks', 'page_cite', pageEmbedInline);
  md.core.ruler.push('shift_headings', shiftHeadings);
  md.core.ruler.push('join_chinese_lines', joinChineseLines);
  md.renderer.rules.page_embed = (tokens, idx, _options, env) => renderFigure(tokens[idx]!.meta as EmbedParse, env as unknown as RenderEnv);
  md.renderer.rules.page_cite = (tokens, idx, _options, env) => renderCitation(tokens[idx]!.meta as EmbedParse, env as unknown as RenderEnv);
  return md;
}

/** Configuration only (rules and renderers); every render brings its own state in `env`. */
const markdown = createMarkdown();

function report(env: RenderEnv, kind: EmbedProblemKind, source: string): string {
  env.problems.push({ kind, severity: WARNINGS.has(kind) ? 'warning' : 'error', source });
  if (env.audience !== 'staff') return '';
  return `<span class="embed-problem" role="note"><strong>${escapeHtml(env.labels.problem(kind))}</strong> <code>${escapeHtml(source)}</code></span>`;
}

/** The embed's page, numbered in order of first citation; or the notice (and a problem) when it cannot be shown. */
function resolve(parse: EmbedParse, env: RenderEnv): { embed: PageEmbed; reference: StoryReference } | { notice: string } {
  if (!parse.ok) return { notice: report(env, parse.problem, parse.source) };
  const source = parse.embed;
  const text = parse.source;
  const cited = env.cite(source.documentId, source.pageNumber);
  if (!cited.ok) return { notice: report(env, cited.problem, text) };
  const key = `${source.documentId}/${source.pageNumber}`;
  let reference = env.cited.get(key);
  if (!reference) {
    reference = { number: env.cited.size + 1, page: cited.page };
    env.cited.set(key, reference);
  }
  return { embed: source, reference };
}

function renderCitation(parse: EmbedParse, env: RenderEnv): string {
  const r = resolve(parse, env);
  if ('notice' in r) return r.notice;
  const n = r.reference.number;
  return `<sup class="cite"><a href="#ref-${n}" aria-label="${escapeHtml(env.labels.citation(n))}">[${n}]</a></sup>`;
}

function regionInside(region: PageEmbed['region'], size: CitedPage['imageSize']): boolean {
  return !region || !size || (region.x + region.w <= size.width && region.y + region.h <= size.height);
}

function renderFigure(parse: EmbedParse, env: RenderEnv): string {
  const r = resolve(parse, env);
  if ('notice' in r) return r.notice ? `<p>${r.notice}</p>\n` : '';
  const { embed, reference } = r;
  const page = reference.page;
  const source = parse.source;
  let notices = '';
  if (embed.quote && !normalizeText(page.text).text.includes(foldQuery(embed.quote))) notices += report(env, 'quote-not-found', source);
  if (embed.region && !page.imageSize) notices += report(env, 'no-image', source);
  if (!regionInside(embed.region, page.imageSize)) notices += report(env, 'region-outside', source);

  const parts: string[] = [];
  if (page.imageSize) {
    // Without a region of its own, a quoting figure shows where the passage is printed.
    const region = embed.region ?? (embed.quote ? quoteRegion(page.page, embed.quote) : null);
    const alt = (page.captions[0]?.trim() || env.labels.pageAlt(page.documentTitle, page.pageNumber)) + (region ? env.labels.regionSuffix : '');
    parts.push(`<a class="embed-image" href="${escapeHtml(page.pageUrl)}"><img src="${escapeHtml(pageCropUrl(page.documentId, page.pageNumber, region))}" alt="${escapeHtml(alt)}" loading="lazy"></a>`);
  }
  if (embed.quote) {
    const script = chineseScript(embed.quote);
    const lang = script === 'zh-Hant' ? ' lang="zh-Hant"' : '';
    parts.push(`<blockquote class="embed-quote"${lang} cite="${escapeHtml(page.pageUrl)}"><p>${escapeHtml(embed.quote)}</p></blockquote>`);
  }
  const n = reference.number;
  const { lead } = page.reference;
  parts.push(
    `<figcaption><a class="ref-number" href="#ref-${n}" aria-label="${escapeHtml(env.labels.citation(n))}">[${n}]</a> ${escapeHtml(lead)} ` +
    `<a class="view-page" href="${escapeHtml(page.pageUrl)}">${escapeHtml(env.labels.viewPage)}</a></figcaption>`,
  );
  const problemLine = notices ? `<p class="embed-notices">${notices}</p>` : '';
  return `<figure class="archive-embed">${parts.join('')}${problemLine}</figure>\n`;
}

/** Renders a story body for the public or for staff (who also see what is wrong with its embeds). */
export function renderStoryBody(body: string, options: RenderOptions): RenderedStory {
  const env: RenderEnv = { ...options, cited: new Map(), problems: [] };
  const html = markdown.render(body, env as unknown as Record<string, unknown>);
  return { html, references: [...env.cited.values()], problems: env.problems };
}

function collectText(tokens: Token[], out: string[]): void {
  for (const token of tokens) {
    if (token.children) collectText(token.children, out);
    else if (token.type === 'text' || token.type === 'code_inline' || token.type === 'code_block' || token.type === 'fence') out.push(token.content);
    else if (token.type === 'page_embed' && (token.meta as EmbedParse).ok) out.push(`${(token.meta as Extract<EmbedParse, { ok: true }>).embed.quote ?? ''}\n`);
    else if (token.type === 'softbreak' || token.type === 'hardbreak') out.push('\n');
    if (token.block && token.nesting === -1) out.push('\n');
  }
}

/** What a reader reads of a body (text, code, quoted passages), without markup: for search and reading time. */
export function storyPlainText(body: string): string {
  const out: string[] = [];
  collectText(markdown.parse(body, {}), out);
  return out.join('').replace(/\n{3,}/g, '\n\n').trim();
}
