import { randomBytes } from 'node:crypto';
import type { Region, StoryContent } from '../catalogue/stories.ts';
import { parseRegion } from '../stories/embed-syntax.ts';
import { splitTagList } from '../stories/story-tags.ts';

/**
 * The story form, checked at the edge: lengths, a slug fit for a URL, tags split the way Chinese
 * editors type lists (、，, ；;). Messages name the field in both interface languages.
 */
export type StoryField = 'title' | 'slug' | 'summary' | 'tags' | 'era' | 'body';
export type StoryFieldErrors = Partial<Record<StoryField, string>>;

export const SLUG = /^[a-z0-9](?:[a-z0-9-]{0,78}[a-z0-9])?$/;
const MAX: Record<StoryField, number> = { title: 200, slug: 80, summary: 1000, tags: 1000, era: 40, body: 200_000 };
const MAX_TAGS = 20;
const MAX_TAG_LENGTH = 40;
/** Control characters other than tab and newline come from pasted binary, never from writing. */
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f]/;

function text(input: Record<string, unknown>, key: string): string {
  const v = input[key];
  return typeof v === 'string' ? v.replace(/\r\n?/g, '\n') : '';
}

/** A slug for a story saved without one: its titles are usually Chinese, so a short random one. */
export function generatedSlug(): string {
  return `story-${randomBytes(4).toString('hex')}`;
}

/** `currentSlug`: an edited story keeps its address when the slug field is left empty. */
export function parseStoryInput(input: unknown, currentSlug?: string): { content: StoryContent; errors: StoryFieldErrors } {
  const body = (typeof input === 'object' && input !== null ? input : {}) as Record<string, unknown>;
  const errors: StoryFieldErrors = {};
  const values: Record<StoryField, string> = {
    title: text(body, 'title').trim(), slug: text(body, 'slug').trim().toLowerCase(), summary: text(body, 'summary').trim(),
    tags: text(body, 'tags'), era: text(body, 'era').trim(), body: text(body, 'body'),
  };
  for (const field of Object.keys(values) as StoryField[]) {
    const value = values[field];
    if (value.length > MAX[field]) errors[field] = `最多 ${MAX[field]} 个字符 (at most ${MAX[field]} characters)`;
    else if (CONTROL.test(value)) errors[field] = '含有不允许的控制字符 (control characters)';
    else if (field !== 'body' && field !== 'summary' && field !== 'tags' && value.includes('\n')) errors[field] = '应为一行 (one line)';
  }
  if (!values.title && !errors.title) errors.title = '标题不能为空 (a title is required)';
  if (values.slug && !errors.slug && !SLUG.test(values.slug)) errors.slug = '只能包含小写字母、数字和连字符 (lower-case letters, digits, hyphens)';
  const tags = splitTagList(values.tags);
  if (!errors.tags && (tags.length > MAX_TAGS || tags.some((t) => t.length > MAX_TAG_LENGTH))) {
    errors.tags = `最多 ${MAX_TAGS} 个标签，每个不超过 ${MAX_TAG_LENGTH} 字 (at most ${MAX_TAGS} tags of ${MAX_TAG_LENGTH} characters)`;
  }
  return {
    content: {
      title: values.title, slug: values.slug || currentSlug || generatedSlug(), summary: values.summary, tags, era: values.era,
      body: values.body, featured: ['1', 'on', 'true', 'yes'].includes(text(body, 'featured')),
    },
    errors,
  };
}

/** `DOCID 12` (as in the embed syntax) and an optional `x,y,w,h`; null when malformed. */
export function parsePageCover(page: string, region: string): { documentId: string; pageNumber: number; region: Region | null } | null {
  const m = /^([0-9a-z]{6,64})\s+([1-9][0-9]{0,5})$/.exec(page.trim());
  if (!m) return null;
  const parsedRegion = region.trim() ? parseRegion(region) : null;
  if (region.trim() && !parsedRegion) return null;
  return { documentId: m[1]!, pageNumber: Number(m[2]), region: parsedRegion };
}
