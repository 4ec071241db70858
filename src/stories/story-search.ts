/**
 * Finding stories: the reader's query language of page search (query.ts), the stories index for
 * candidates, then every candidate checked against the story's own text, so that the stories shown
 * really contain every term — also when typed in the other script (礦 finds 矿).
 */
import type { StoryRecord } from '../catalogue/stories.ts';
import { normalizeText } from '../search/normalize.ts';
import { matchesText, parseQuery } from '../search/query.ts';
import { buildSnippet, escapeHtml, matchRangesInOriginal } from '../search/snippet.ts';
import { storyEngineQuery, storySearchText } from '../search/story-index.ts';
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

function markedTitle(title: string, q: ReturnType<typeof parseQuery>): string {
  let html = '';
  let at = 0;
  for (const r of matchRangesInOriginal(title, q)) {
    html += `${escapeHtml(title.slice(at, r.start))}<mark>${escapeHtml(title.slice(r.start, r.end))}</mark>`;
    at = r.end;
  }
  return html + escapeHtml(title.slice(at));
}

/** Stories containing every term of the query and none of its negations; drafts only for staff. */
export async function searchStories(deps: StoryDeps, raw: string, opts: { includeDrafts: boolean; limit: number }): Promise<StorySearchResult> {
  const q = parseQuery(raw);
  if (q.positive.length === 0) return { total: 0, hits: [] };
  const ids = await deps.engine.searchStories({
    q: storyEngineQuery(q), filter: opts.includeDrafts ? [] : ['published = true'], limit: CANDIDATES,
  });
  const hits: StoryHit[] = [];
  let total = 0;
  for (const id of ids) {
    const story = deps.catalogue.stories.get(Number(id));
    // The index may briefly lag the catalogue: the catalogue decides what is public.
    if (!story || (!opts.includeDrafts && story.status !== 'published')) continue;
    const source = storyIndexSource(story);
    if (!matchesText(normalizeText(storySearchText(source)).text, q)) continue;
    total++;
    if (hits.length >= opts.limit) continue;
    const readable = [story.summary, source.plainText].filter(Boolean).join('\n');
    hits.push({ story, titleHtml: markedTitle(story.title, q), snippetHtml: buildSnippet(readable, q, { maxPassages: 1, context: 50 }).html });
  }
  return { total, hits };
}
