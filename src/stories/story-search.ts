/**
 * Finding stories: the reader's query language of page search (query.ts), the stories index for
 * candidates, then every candidate checked against the story's own text, so that the stories shown
 * really contain every term — also when typed in the other script (礦 finds 矿).
 */
import type { StoryRecord } from '../catalogue/stories.ts';
import { isWordCodePoint } from '../search/normalize.ts';
import { matchesText, parseQuery } from '../search/query.ts';
import { buildSnippet, escapeHtml, matchRangesInOriginal } from '../search/snippet.ts';
import { normalizedStoryText, storyEngineQuery } from '../search/story-index.ts';
import { storyIndexSource, type StoryDeps } from './story-actions.ts';

export interface StoryHit {
  story: StoryRecord;
  /** Safe HTML: escaped, matches in `<mark>`. */
  titleHtml: string;
  snippetHtml: string;
}

export interface StorySearchResult { total: number; hits: StoryHit[] }

/** Candidates asked of the engine; an archive has far fewer stories than this. */
const CANDIDATES = 1000;

/**
 * Whether the engine's answer is exact without checking the text: a phrase of one or two single-character
 * words matches exactly those characters side by side. Longer phrases only bound their words' distances,
 * punctuation is not indexed (a term of it alone is not in the engine query at all), and negations are
 * left out of the engine query, so all of these need the check.
 */
function engineIsExact(q: ReturnType<typeof parseQuery>): boolean {
  return q.negative.length === 0 && q.positive.every((t) => {
    const chars = [...t.text];
    return chars.length <= 2 && chars.every((c) => isWordCodePoint(c.codePointAt(0) ?? 0));
  });
}

function markedTitle(title: string, q: ReturnType<typeof parseQuery>): string {
  let html = '';
  let at = 0;
  for (const r of matchRangesInOriginal(title, q)) {
    html += `${escapeHtml(title.slice(at, r.start))}<mark>${escapeHtml(title.slice(r.start, r.end))}</mark>`;
    at = r.end;
  }
  return html + escapeHtml(title.slice(at));
}

/** A story's search text when none is stored yet (a story saved before texts were kept): made and kept now. */
function storedTextOf(deps: StoryDeps, id: number): string {
  const story = deps.catalogue.stories.get(id);
  if (!story) return '';
  const text = normalizedStoryText(storyIndexSource(story));
  deps.catalogue.stories.saveSearchText(id, text);
  return text;
}

/** Stories containing every term of the query and none of its negations; drafts only for staff. */
export async function searchStories(deps: StoryDeps, raw: string, opts: { includeDrafts: boolean; limit: number }): Promise<StorySearchResult> {
  const q = parseQuery(raw);
  if (q.positive.length === 0) return { total: 0, hits: [] };
  const ids = await deps.engine.searchStories({
    q: storyEngineQuery(q), filter: opts.includeDrafts ? [] : ['published = true'], limit: CANDIDATES,
  });
  const verify = !engineIsExact(q);
  const hits: StoryHit[] = [];
  let total = 0;
  // The index may briefly lag the catalogue: the catalogue decides what is visible.
  const visible = deps.catalogue.stories.visibleIds(opts.includeDrafts ? 'all' : 'published');
  const candidates = ids.map(Number).filter((n) => visible.has(n));
  const texts = verify ? deps.catalogue.stories.searchTexts(candidates) : new Map<number, string>();
  for (const id of candidates) {
    if (verify && !matchesText(texts.get(id) ?? storedTextOf(deps, id), q)) continue;
    total++;
    if (hits.length >= opts.limit) continue;
    const story = deps.catalogue.stories.get(id);
    if (!story) continue;
    const source = storyIndexSource(story);
    const readable = [story.summary, source.plainText].filter(Boolean).join('\n');
    hits.push({ story, titleHtml: markedTitle(story.title, q), snippetHtml: buildSnippet(readable, q, { maxPassages: 1, context: 30 }).html });
  }
  return { total, hits };
}
