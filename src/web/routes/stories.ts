import fs from 'node:fs';
import { Router, type Request, type Response } from 'express';
import type { Archive } from '../../archive.ts';
import type { StoryRecord } from '../../catalogue/stories.ts';
import { cropImage, ImageInputError } from '../../../ingest/image-prep.ts';
import { parseRegion } from '../../stories/embed-syntax.ts';
import { notFound } from '../errors.ts';
import { chineseScript } from '../../stories/text-script.ts';
import { problemText, renderStory, relatedStories, storyCard, storyCover, storyMinutes, storySharing } from '../story-view.ts';
import { isStaff, visibleDocument } from '../visibility.ts';

/** Longest side of figures and covers: wide enough for the 36em column at 2× density. */
const PICTURE_SIDE = 1200;

function queryText(req: Request, key: string, max = 100): string | undefined {
  const v = req.query[key];
  return typeof v === 'string' && v.trim() ? v.trim().slice(0, max) : undefined;
}

/** A story the caller may read: published ones for everyone, drafts for staff. */
function visibleStory(archive: Archive, slug: string | undefined, res: Response): StoryRecord {
  const story = slug ? archive.catalogue.stories.findBySlug(slug) : null;
  if (!story || (story.status !== 'published' && !isStaff(res))) throw notFound('故事');
  return story;
}

/** The public side of stories: the list, the story page, covers, and cropped page pictures for figures. */
export function storiesRouter(archive: Archive): Router {
  const router = Router();

  router.get('/stories', (req, res) => {
    const tag = queryText(req, 'tag');
    const era = queryText(req, 'era');
    const stories = archive.catalogue.stories.list({ visibility: 'published', tag, era, limit: 200 }).map((s) => storyCard(archive, s));
    res.render('stories/list', {
      title: res.locals.t('stories'), stories, tag: tag ?? null, era: era ?? null,
      tags: archive.catalogue.stories.publishedTags(), eras: archive.catalogue.stories.publishedEras(),
      canonical: '/stories',
    });
  });

  router.get('/stories/:slug', (req, res) => {
    const story = visibleStory(archive, req.params.slug, res);
    const t = res.locals.t;
    const audience = isStaff(res) ? 'staff' : 'public';
    const rendered = renderStory(archive, req, t, story, audience);
    const sharing = storySharing(archive, req, t, story, rendered.references);
    res.render('stories/story', {
      title: story.title, story, rendered, minutes: storyMinutes(story), cover: storyCover(archive, story),
      related: relatedStories(archive, story), canonical: `/stories/${encodeURIComponent(story.slug)}`,
      og: sharing.og, jsonLd: sharing.jsonLd, storyLang: chineseScript(story.body) === 'zh-Hant' ? 'zh-Hant' : 'zh-CN',
      problems: audience === 'staff' ? rendered.problems.map((p) => ({ ...p, label: problemText(t, p.kind) })) : [],
    });
  });

  router.get('/stories/:slug/cover', async (req, res) => {
    const story = visibleStory(archive, req.params.slug, res);
    const cover = story.cover;
    if (!cover) throw notFound('图像');
    if (cover.kind === 'page') {
      const visible = storyCover(archive, story);
      if (!visible) throw notFound('图像');
      res.redirect(302, visible.url);
      return;
    }
    if (!archive.originals.exists(cover.sha256)) throw notFound('图像');
    let picture;
    try {
      picture = await cropImage(archive.originals.read(cover.sha256), null, { maxSide: PICTURE_SIDE, maxPixels: archive.config.limits.maxImagePixels });
    } catch (error) {
      if (error instanceof ImageInputError) throw notFound('图像');
      throw error;
    }
    res.type('image/webp');
    res.setHeader('Cache-Control', story.status === 'published' ? 'public, max-age=86400' : 'private, no-store');
    res.send(picture.webp);
  });

  // A region of a page image (or the whole page, scaled), under the page's own visibility rule.
  router.get('/documents/:id/pages/:n/crop', async (req, res) => {
    const doc = visibleDocument(archive, req.params.id, res);
    const n = Number(req.params.n);
    const page = Number.isInteger(n) && n >= 1 && n <= doc.pageCount ? archive.catalogue.pages.get(doc.id, n) : null;
    if (!page?.hasImage || !archive.images.exists(doc.id, n, 'page')) throw notFound('图像');
    const asked = queryText(req, 'region', 40);
    const region = asked ? parseRegion(asked) : null;
    if (asked && !region) throw notFound('图像');
    let picture;
    try {
      picture = await cropImage(fs.readFileSync(archive.images.pathOf(doc.id, n, 'page')), region, { maxSide: PICTURE_SIDE });
    } catch (error) {
      if (error instanceof ImageInputError) throw notFound('图像');
      throw error;
    }
    res.type('image/webp');
    res.setHeader('Cache-Control', doc.published ? 'public, max-age=86400' : 'private, no-store');
    res.send(picture.webp);
  });

  return router;
}
