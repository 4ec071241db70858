/**
 * The `stories` index: settings (one object, versioned), the record of a story, and the phrase query
 * for a parsed reader query. Stories are indexed like pages are — normalised (normalize.ts: spaces
 * dropped, traditional folded to simplified, full-width folded) and cut into single characters — so
 * that 礦 finds a story about 矿 and any fragment of a word finds it. Phrases of single characters are
 * approximate past two characters; the service checks candidates against the story's text, which is
 * cheap for the few hundred stories an archive has.
 */
import { normalizeText } from './normalize.ts';
import type { ParsedQuery } from './query.ts';

const WORD_CHAR = /^[\p{L}\p{N}]$/u;
/** Meilisearch treats 。 as a hard separator: a phrase does not match across it. */
const HARD_SEPARATOR = '。';

/**
 * The indexed form of a normalised text: every letter, digit or Han character as its own word, and
 * every run of anything else as one hard separator, so that a phrase cannot match across punctuation.
 * `"石炭井，矿区"` → `"石 炭 井 。 矿 区"`.
 */
export function storyTokens(normalized: string): string {
  const parts: string[] = [];
  let pendingSeparator = false;
  for (const ch of normalized) {
    if (WORD_CHAR.test(ch)) {
      if (pendingSeparator && parts.length > 0) parts.push(HARD_SEPARATOR);
      pendingSeparator = false;
      parts.push(ch);
    } else {
      pendingSeparator = true;
    }
  }
  return parts.join(' ');
}

/** Bump when the settings or the record change: the index is then rebuilt from the catalogue at start. */
export const STORIES_INDEX_VERSION = 1;
export const STORIES_INDEX_NAME = 'stories';

const SEARCHABLE = ['title', 'text'];

/** The same reasoning as the pages index: no typos, no prefixes, Chinese locale, exact counts. */
export const STORIES_INDEX_SETTINGS = {
  searchableAttributes: SEARCHABLE,
  displayedAttributes: ['id'],
  filterableAttributes: ['published', 'tags', 'era'],
  sortableAttributes: [] as string[],
  rankingRules: ['words', 'attribute', 'proximity', 'exactness'],
  localizedAttributes: [{ attributePatterns: SEARCHABLE, locales: ['cmn'] }],
  typoTolerance: { enabled: false },
  prefixSearch: 'disabled' as const,
  proximityPrecision: 'byWord' as const,
  pagination: { maxTotalHits: 100_000 },
  stopWords: [] as string[],
};

/** What Meilisearch stores per story; what is shown comes from the catalogue. */
export interface StorySearchDocument {
  id: string;
  published: boolean;
  tags: string[];
  era: string;
  title: string;
  text: string;
}

export interface StoryIndexSource {
  id: number;
  title: string;
  summary: string;
  tags: string[];
  era: string;
  status: 'draft' | 'published';
  /** The body as read (storyPlainText), not its Markdown. */
  plainText: string;
}

/** Everything a reader can find a story by, in one string: what `searchText` normalises and verification reads. */
export function storySearchText(story: Pick<StoryIndexSource, 'title' | 'summary' | 'tags' | 'era' | 'plainText'>): string {
  return [story.title, story.summary, story.tags.join(' '), story.era, story.plainText].join('\n');
}

/** The normalised form of `storySearchText`: what a query's terms are looked for in. */
export function normalizedStoryText(story: Pick<StoryIndexSource, 'title' | 'summary' | 'tags' | 'era' | 'plainText'>): string {
  return normalizeText(storySearchText(story)).text;
}

export function buildStorySearchDocument(story: StoryIndexSource): StorySearchDocument {
  return {
    id: String(story.id),
    published: story.status === 'published',
    tags: story.tags,
    era: story.era,
    title: storyTokens(normalizeText(story.title).text),
    text: storyTokens(normalizedStoryText(story)),
  };
}

/**
 * The Meilisearch `q` for a parsed query: each positive term as a phrase of its characters. Negations
 * are left to verification (an approximate negative phrase could drop a story that should be found).
 */
export function storyEngineQuery(q: ParsedQuery): string {
  return [...new Set(q.positive.map((t) => storyTokens(t.text)).filter((p) => p !== ''))].map((p) => `"${p}"`).join(' ');
}
