/**
 * View models of stories for the templates: cards for lists, the full story page (rendered body,
 * references, reading time, related stories and pages, sharing metadata) and the staff preview.
 */
import type { Request } from 'express';
import type { Archive } from '../archive.ts';
import type { StoryRecord } from '../catalogue/stories.ts';
import { createPageCitations, documentProblem, pageCropUrl, type CitedPage } from '../stories/page-citations.ts';
import { readingMinutes } from '../stories/reading-time.ts';
import { renderStoryBody, storyPlainText, type EmbedProblem, type EmbedProblemKind, type StoryLabels, type StoryReference } from '../stories/story-render.ts';
import { jsonLdText, storyJsonLd, type Site } from '../stories/structured-data.ts';
import type { MessageKey, Translate } from './i18n.ts';
import { STORY_MESSAGES } from './story-messages.ts';

const HOST = /^[A-Za-z0-9.-]+(:\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](:\d{1,5})?$/;

/** `http(s)://host` of the request, for absolute addresses (references, sitemaps, feeds, OpenGraph). */
export function siteOrigin(req: Request): string {
  const host = req.get('host') ?? '';
  return `${req.protocol}://${HOST.test(host) ? host : 'localhost'}`;
}

export function site(req: Request, t: Translate): Site {
  return { origin: siteOrigin(req), name: t('siteName') };
}

export function storyLabels(t: Translate): StoryLabels {
  return {
    viewPage: t('viewPage'),
    pageAlt: (title, n) => t('pageAlt', { title, n }),
    regionSuffix: t('regionSuffix'),
    citation: (n) => t('citationLabel', { n }),
    problem: (kind) => problemText(t, kind),
  };
}

export function problemText(t: Translate, kind: EmbedProblemKind | 'bad-cover' | 'cover-image'): string {
  // Problems with a message of their own; syntax problems share one, with their name.
  const key = `problem_${kind}`;
  return key in STORY_MESSAGES ? t(key as MessageKey) : `${t('problem_syntax')} (${kind})`;
}

export interface StoryCard {
  slug: string;
  title: string;
  summary: string;
  era: string;
  tags: string[];
  cover: { url: string; alt: string } | null;
  minutes: number;
  publishedAt: string | null;
  draft: boolean;
}

/** The cover as the public may see it: an uploaded picture, or a region of a public page that has an image. */
export function storyCover(archive: Archive, story: StoryRecord): { url: string; alt: string } | null {
  const cover = story.cover;
  if (!cover) return null;
  const alt = cover.alt || story.title;
  if (cover.kind === 'upload') return { url: `/stories/${encodeURIComponent(story.slug)}/cover`, alt };
  const doc = archive.catalogue.documents.get(cover.documentId);
  if (documentProblem(doc) || !doc) return null;
  const page = archive.catalogue.pages.get(doc.id, cover.pageNumber);
  if (!page?.hasImage) return null;
  return { url: pageCropUrl(doc.id, cover.pageNumber, cover.region), alt };
}

export function storyMinutes(story: StoryRecord): number {
  return readingMinutes(`${story.title}\n${storyPlainText(story.body)}`);
}

export function storyCard(archive: Archive, story: StoryRecord): StoryCard {
  return {
    slug: story.slug, title: story.title, summary: story.summary, era: story.era, tags: story.tags,
    cover: storyCover(archive, story), minutes: storyMinutes(story), publishedAt: story.publishedAt, draft: story.status !== 'published',
  };
}

/** Featured stories for the home page, topped up with the newest ones. */
export function homeStories(archive: Archive, count = 3): StoryCard[] {
  const featured = archive.catalogue.stories.list({ visibility: 'published', featured: true, limit: count });
  const more = featured.length < count ? archive.catalogue.stories.list({ visibility: 'published', limit: count * 2 }) : [];
  const chosen = [...featured, ...more.filter((s) => !featured.some((f) => f.id === s.id))].slice(0, count);
  return chosen.map((s) => storyCard(archive, s));
}

/** Published stories sharing the most tags with this one (then the newest). */
export function relatedStories(archive: Archive, story: StoryRecord, count = 3): StoryCard[] {
  if (story.tags.length === 0) return [];
  const tags = new Set(story.tags);
  return archive.catalogue.stories.list({ visibility: 'published', limit: 500 })
    .filter((s) => s.id !== story.id)
    .map((s) => ({ s, shared: s.tags.filter((t) => tags.has(t)).length }))
    .filter((x) => x.shared > 0)
    .sort((a, b) => b.shared - a.shared)
    .slice(0, count)
    .map((x) => storyCard(archive, x.s));
}

export interface RenderedStoryView {
  html: string;
  references: StoryReference[];
  problems: EmbedProblem[];
  /** The pages the story cites, once each, for the "related pages" list. */
  citedPages: CitedPage[];
}

/** Renders a body: `staff` shows notices where embeds cannot be shown; `public` omits them. */
export function renderStory(archive: Archive, req: Request, t: Translate, story: Pick<StoryRecord, 'body' | 'updatedAt'>, audience: 'public' | 'staff'): RenderedStoryView {
  const cite = createPageCitations(archive.catalogue, { origin: siteOrigin(req), citedOn: story.updatedAt.slice(0, 10) });
  const out = renderStoryBody(story.body, { cite, audience, labels: storyLabels(t) });
  return { ...out, citedPages: out.references.map((r) => r.page) };
}

/** Sharing metadata of a story page: OpenGraph and the JSON-LD Article. */
export function storySharing(archive: Archive, req: Request, t: Translate, story: StoryRecord, references: StoryReference[]) {
  const s = site(req, t);
  const cover = storyCover(archive, story);
  const image = cover ? `${s.origin}${cover.url}` : null;
  const url = `${s.origin}/stories/${encodeURIComponent(story.slug)}`;
  return {
    og: { type: 'article', title: story.title, description: story.summary, url, image, imageAlt: cover?.alt ?? null, publishedTime: story.publishedAt, tags: story.tags },
    jsonLd: jsonLdText(storyJsonLd(s, story, references, image)),
  };
}
