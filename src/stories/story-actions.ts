/**
 * What staff do to a story — create, save, publish, unpublish, set its cover, delete — with the
 * stories index kept in step and every change in the audit log.
 *
 * As for documents (curation.ts): a change that makes a story less visible reaches the index first,
 * one that makes it more visible reaches the catalogue first, so a failure half-way never shows the
 * public more than it should see.
 */
import type { Catalogue } from '../catalogue/index.ts';
import type { StoryContent, StoryCover, StoryRecord, StoryStatus } from '../catalogue/stories.ts';
import type { SearchEngine } from '../search/meili-client.ts';
import { buildStorySearchDocument, normalizedStoryText, STORIES_INDEX_VERSION, type StoryIndexSource } from '../search/story-index.ts';
import { storyPlainText } from './story-render.ts';

export interface StoryDeps {
  catalogue: Catalogue;
  engine: SearchEngine;
}

export function storyIndexSource(story: StoryRecord): StoryIndexSource {
  return { id: story.id, title: story.title, summary: story.summary, tags: story.tags, era: story.era, status: story.status, plainText: storyPlainText(story.body) };
}

/** The text search verifies against (kept in the catalogue), then the index record. */
async function index(deps: StoryDeps, story: StoryRecord): Promise<void> {
  const source = storyIndexSource(story);
  deps.catalogue.stories.saveSearchText(story.id, normalizedStoryText(source));
  await deps.engine.addStories([buildStorySearchDocument(source)]);
}

export async function createStory(deps: StoryDeps, content: StoryContent, actor: string): Promise<StoryRecord> {
  const story = deps.catalogue.stories.create(content, actor);
  deps.catalogue.audit.record(actor, 'story-create', story.slug, story.title);
  await index(deps, story);
  return story;
}

export async function saveStory(deps: StoryDeps, story: StoryRecord, content: StoryContent, actor: string): Promise<StoryRecord> {
  const saved = deps.catalogue.stories.update(story.id, content, actor)!;
  deps.catalogue.audit.record(actor, 'story-edit', saved.slug, saved.title);
  await index(deps, saved);
  return saved;
}

export async function setStoryStatus(deps: StoryDeps, story: StoryRecord, status: StoryStatus, actor: string): Promise<StoryRecord> {
  if (status === 'draft') await index(deps, { ...story, status });
  const updated = deps.catalogue.stories.setStatus(story.id, status)!;
  if (status === 'published') await index(deps, updated);
  deps.catalogue.audit.record(actor, status === 'published' ? 'story-publish' : 'story-unpublish', updated.slug, updated.title);
  return updated;
}

export function setStoryCover(deps: StoryDeps, story: StoryRecord, cover: StoryCover | null, actor: string): StoryRecord {
  const updated = deps.catalogue.stories.setCover(story.id, cover)!;
  deps.catalogue.audit.record(actor, 'story-cover', updated.slug, cover ? cover.kind : 'removed');
  return updated;
}

/** Deletes a story and its revisions for good (the audit log keeps that it existed). */
export async function deleteStory(deps: StoryDeps, story: StoryRecord, actor: string): Promise<void> {
  await deps.engine.deleteStories([String(story.id)]);
  deps.catalogue.stories.delete(story.id);
  deps.catalogue.audit.record(actor, 'story-delete', story.slug, story.title);
}

/** Builds the stories index beside the live one and swaps it in; readers never see it half-built. */
export async function rebuildStoriesIndex(deps: StoryDeps): Promise<number> {
  const uid = deps.engine.temporaryIndexUid('stories_build');
  await deps.engine.prepareStoriesIndex(uid);
  const stories = deps.catalogue.stories.list({ visibility: 'all', limit: 1_000_000 });
  try {
    const sources = stories.map(storyIndexSource);
    for (const source of sources) deps.catalogue.stories.saveSearchText(source.id, normalizedStoryText(source));
    await deps.engine.addStories(sources.map(buildStorySearchDocument), uid);
    await deps.engine.swapIntoStories(uid);
  } catch (error) {
    await deps.engine.deleteIndex(uid).catch(() => {});
    throw error;
  }
  deps.catalogue.db.prepare("INSERT INTO settings (key, value) VALUES ('stories_index_version', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value")
    .run(String(STORIES_INDEX_VERSION));
  return stories.length;
}

/**
 * At start: the stories index exists with the current settings and holds every story. Rebuilt when
 * its settings changed or its count differs from the catalogue's (a lost or foreign index); stories
 * are few, so that costs little.
 */
export async function prepareStoriesIndex(deps: StoryDeps): Promise<void> {
  const row = deps.catalogue.db.prepare("SELECT value FROM settings WHERE key = 'stories_index_version'").get() as { value: string } | undefined;
  await deps.engine.prepareStoriesIndex();
  if (row?.value !== String(STORIES_INDEX_VERSION) || (await deps.engine.countStories()) !== deps.catalogue.stories.count('all')) {
    await rebuildStoriesIndex(deps);
  }
}
