/**
 * The sample stories of the demo collection (fixtures/stories/*.md, beside fixtures/demo, whose files all
 * come from the fixture generator): Markdown with a small front
 * matter, citing demo pages by file name (`{{page file:NAME 3 …}}`), since document ids are only known
 * once the files are imported (the first hex digits of their SHA-256). Imported published, once.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { StoryContent } from '../catalogue/stories.ts';
import { splitTagList } from './story-tags.ts';
import { createStory, setStoryStatus, type StoryDeps } from './story-actions.ts';

export const DEMO_STORIES_DIR = path.resolve(import.meta.dirname, '..', '..', 'fixtures', 'stories');

const FRONT_MATTER = /^---\n([\s\S]*?)\n---\n/;
const FILE_EMBED = /\{\{page\s+file:([^\s}]+)/g;

/** A story file: `key: value` lines between `---` lines (title, slug, summary, tags, era, featured), then the body. */
export function parseStoryFile(text: string): StoryContent {
  const normalized = text.replace(/\r\n?/g, '\n');
  const m = FRONT_MATTER.exec(normalized);
  if (!m) throw new Error('a story file starts with a --- front matter block');
  const fields = new Map<string, string>();
  for (const line of m[1]!.split('\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) fields.set(line.slice(0, colon).trim(), line.slice(colon + 1).trim());
  }
  const title = fields.get('title');
  const slug = fields.get('slug');
  if (!title || !slug) throw new Error('a story file needs a title and a slug');
  return {
    title, slug, summary: fields.get('summary') ?? '', tags: splitTagList(fields.get('tags') ?? ''), era: fields.get('era') ?? '',
    featured: ['yes', 'true', '1'].includes(fields.get('featured') ?? ''), body: normalized.slice(m[0].length).trim() + '\n',
  };
}

/** Replaces `file:NAME` in embeds with the id the file was imported under; an unknown name is an error. */
export function resolveFileEmbeds(body: string, ids: ReadonlyMap<string, string>): string {
  return body.replace(FILE_EMBED, (_, name: string) => {
    const id = ids.get(name);
    if (!id) throw new Error(`the demo has no file ${name}`);
    return `{{page ${id}`;
  });
}

/** Story files are the Markdown files of the folder other than its README. */
export function isStoryFile(name: string): boolean {
  return name.endsWith('.md') && name.toLowerCase() !== 'readme.md';
}

/** Imports every story file of `dir`, published; returns how many. */
export async function importDemoStories(deps: StoryDeps, dir: string, ids: ReadonlyMap<string, string>): Promise<number> {
  if (!fs.existsSync(dir)) return 0;
  let imported = 0;
  for (const file of fs.readdirSync(dir).filter(isStoryFile).sort()) {
    const content = parseStoryFile(fs.readFileSync(path.join(dir, file), 'utf8'));
    if (deps.catalogue.stories.findBySlug(content.slug)) continue;
    const story = await createStory(deps, { ...content, body: resolveFileEmbeds(content.body, ids) }, 'demo');
    await setStoryStatus(deps, story, 'published', 'demo');
    imported++;
  }
  return imported;
}
