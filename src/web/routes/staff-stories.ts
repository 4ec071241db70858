import fs from 'node:fs';
import express, { Router, type Request, type RequestHandler, type Response } from 'express';
import { SlugTakenError, type StoryContent, type StoryRecord } from '../../catalogue/stories.ts';
import { cropImage, ImageInputError } from '../../../ingest/image-prep.ts';
import { createStory, deleteStory, saveStory, setStoryCover, setStoryStatus } from '../../stories/story-actions.ts';
import { currentUser, requireRole, requireStaff } from '../auth.ts';
import { checkCsrf, csrfProtection } from '../csrf.ts';
import { HttpError, notFound } from '../errors.ts';
import { parsePageCover, parseStoryInput, type StoryFieldErrors } from '../story-input.ts';
import { problemText, renderStory, storyCover, storyMinutes } from '../story-view.ts';
import { createUploadReceiver, removeUploads } from '../upload.ts';
import type { StaffDeps, StaffRoute } from './staff.ts';

/** Notices shown after a redirect, by key: the page never echoes request text. */
const NOTICES = ['created', 'saved', 'published', 'unpublished', 'deleted', 'cover'] as const;
const COVER_MAX_BYTES = 20 * 1024 * 1024;

function notice(req: Request): string | null {
  const done = req.query.done;
  return typeof done === 'string' && (NOTICES as readonly string[]).includes(done) ? done : null;
}

/** The story form's values as the editor typed them (shown again when something is wrong). */
function formValues(content: StoryContent) {
  return { ...content, tags: content.tags.join('、') };
}

/** Story authoring: list, create, edit (every save a revision), preview, publish, cover, delete. */
export function storyRoutes(deps: StaffDeps): StaffRoute[] {
  const { archive } = deps;
  const actor = (res: Response) => currentUser(res)!.name;
  const load = (req: Request): StoryRecord => {
    const story = archive.catalogue.stories.get(Number(req.params.id));
    if (!story) throw notFound('故事');
    return story;
  };
  const receive = createUploadReceiver(archive);

  /** The problems of a body (missing, unpublished pages …), rendered once for staff. */
  const problemsOf = (req: Request, res: Response, story: Pick<StoryRecord, 'body' | 'updatedAt'>) =>
    renderStory(archive, req, res.locals.t, story, 'staff').problems.map((p) => ({ ...p, label: problemText(res.locals.t, p.kind) }));

  const renderEditor = (req: Request, res: Response, story: StoryRecord | null, form: ReturnType<typeof formValues>, errors: StoryFieldErrors, status = 200) => {
    res.status(status).render('staff/stories/edit', {
      title: story ? story.title : res.locals.t('newStory'), story, form, errors, notice: notice(req),
      problems: problemsOf(req, res, { body: form.body, updatedAt: story?.updatedAt ?? new Date().toISOString() }),
      cover: story ? storyCover(archive, story) : null, coverError: req.query.coverError === 'bad-cover' || req.query.coverError === 'cover-image' ? problemText(res.locals.t, req.query.coverError) : null,
      revisions: story ? archive.catalogue.stories.revisions(story.id).slice(0, 50) : [],
    });
  };

  const renderPreview = (req: Request, res: Response, story: StoryRecord | null, content: StoryContent, unsaved: boolean) => {
    const now = new Date().toISOString();
    const shown: StoryRecord = story ? { ...story, ...content } : {
      ...content, id: 0, cover: null, status: 'draft', author: actor(res), createdAt: now, updatedAt: now, publishedAt: null,
    };
    const rendered = renderStory(archive, req, res.locals.t, shown, 'public');
    res.render('staff/stories/preview', {
      title: `${res.locals.t('preview')} · ${shown.title}`, story: shown, saved: story, unsaved, rendered,
      minutes: storyMinutes(shown), cover: story ? storyCover(archive, story) : null,
      problems: problemsOf(req, res, shown),
    });
  };

  const saveFailed = (error: unknown): StoryFieldErrors => {
    if (error instanceof SlugTakenError) return { slug: '该网址名已被其他故事使用 (this slug is taken)' };
    throw error;
  };

  return [
    {
      method: 'get', path: '/staff/stories', role: 'editor', body: 'none',
      handler: (req, res) => {
        const stories = archive.catalogue.stories.list({ visibility: 'all', limit: 500 });
        res.render('staff/stories/list', { title: res.locals.t('storiesAdmin'), stories, notice: notice(req) });
      },
    },
    {
      method: 'get', path: '/staff/stories/new', role: 'editor', body: 'none',
      handler: (req, res) => renderEditor(req, res, null, { slug: '', title: '', summary: '', tags: '', era: '', body: '', featured: false }, {}),
    },
    {
      method: 'post', path: '/staff/stories', role: 'editor', body: 'form',
      handler: async (req, res) => {
        const { content, errors } = parseStoryInput(req.body);
        if (Object.keys(errors).length === 0) {
          try {
            const story = await createStory(archive, content, actor(res));
            res.redirect(303, `/staff/stories/${story.id}?done=created`);
            return;
          } catch (error) {
            Object.assign(errors, saveFailed(error));
          }
        }
        renderEditor(req, res, null, formValues(content), errors, 400);
      },
    },
    {
      method: 'post', path: '/staff/stories/preview', role: 'editor', body: 'form',
      handler: (req, res) => renderPreview(req, res, null, parseStoryInput(req.body).content, true),
    },
    {
      method: 'get', path: '/staff/stories/:id', role: 'editor', body: 'none',
      handler: (req, res) => {
        const story = load(req);
        renderEditor(req, res, story, formValues(story), {});
      },
    },
    {
      method: 'post', path: '/staff/stories/:id', role: 'editor', body: 'form',
      handler: async (req, res) => {
        const story = load(req);
        const { content, errors } = parseStoryInput(req.body, story.slug);
        if (Object.keys(errors).length === 0) {
          try {
            await saveStory(archive, story, content, actor(res));
            res.redirect(303, `/staff/stories/${story.id}?done=saved`);
            return;
          } catch (error) {
            Object.assign(errors, saveFailed(error));
          }
        }
        renderEditor(req, res, story, formValues(content), errors, 400);
      },
    },
    {
      method: 'get', path: '/staff/stories/:id/preview', role: 'editor', body: 'none',
      handler: (req, res) => {
        const story = load(req);
        renderPreview(req, res, story, story, false);
      },
    },
    {
      method: 'post', path: '/staff/stories/:id/preview', role: 'editor', body: 'form',
      handler: (req, res) => {
        const story = load(req);
        renderPreview(req, res, story, parseStoryInput(req.body, story.slug).content, true);
      },
    },
    ...(['publish', 'unpublish'] as const).map((action): StaffRoute => ({
      method: 'post', path: `/staff/stories/:id/${action}`, role: 'editor', body: 'form',
      handler: async (req, res) => {
        const story = load(req);
        await setStoryStatus(archive, story, action === 'publish' ? 'published' : 'draft', actor(res));
        res.redirect(303, `/staff/stories/${story.id}?done=${action}ed`);
      },
    })),
    {
      method: 'post', path: '/staff/stories/:id/cover', role: 'editor', body: 'form',
      handler: (req, res) => {
        const story = load(req);
        const fields = req.body as Record<string, unknown>;
        const str = (k: string) => (typeof fields[k] === 'string' ? (fields[k] as string) : '');
        if (str('remove') === '1') {
          setStoryCover(archive, story, null, actor(res));
        } else {
          const page = parsePageCover(str('coverPage'), str('coverRegion'));
          if (!page) {
            res.redirect(303, `/staff/stories/${story.id}?coverError=bad-cover#cover`);
            return;
          }
          setStoryCover(archive, story, { kind: 'page', ...page, alt: str('coverAlt').trim().slice(0, 300) }, actor(res));
        }
        res.redirect(303, `/staff/stories/${story.id}?done=cover`);
      },
    },
    {
      method: 'post', path: '/staff/stories/:id/cover-upload', role: 'editor', body: 'multipart',
      handler: async (req, res) => {
        const story = load(req);
        const { files, fields } = await receive(req, res);
        try {
          checkCsrf(req, res);
          const file = files[0];
          if (!file) throw new HttpError(400, 'bad_request', res.locals.t('noFilesChosen'));
          if (file.size > COVER_MAX_BYTES) throw new HttpError(413, 'file_too_large', '图片超过 20 MB (picture larger than 20 MB)');
          const bytes = fs.readFileSync(file.path);
          try {
            // Decoding it once proves it is a picture the site can show, before it is kept.
            await cropImage(bytes, null, { maxSide: 64, maxPixels: archive.config.limits.maxImagePixels });
          } catch (error) {
            if (!(error instanceof ImageInputError)) throw error;
            res.redirect(303, `/staff/stories/${story.id}?coverError=cover-image#cover`);
            return;
          }
          const { sha256 } = archive.originals.put(bytes);
          setStoryCover(archive, story, { kind: 'upload', sha256, alt: (fields.coverAlt ?? '').trim().slice(0, 300) }, actor(res));
        } finally {
          removeUploads(files);
        }
        res.redirect(303, `/staff/stories/${story.id}?done=cover`);
      },
    },
    {
      method: 'get', path: '/staff/stories/:id/revisions/:rev', role: 'editor', body: 'none',
      handler: (req, res) => {
        const story = load(req);
        const revision = archive.catalogue.stories.revisions(story.id).find((r) => r.id === Number(req.params.rev));
        if (!revision) throw notFound('修订');
        res.render('staff/stories/revision', { title: `${story.title} · ${res.locals.t('revision')}`, story, revision });
      },
    },
    {
      method: 'post', path: '/staff/stories/:id/delete', role: 'admin', body: 'form',
      handler: async (req, res) => {
        await deleteStory(archive, load(req), actor(res));
        res.redirect(303, '/staff/stories?done=deleted');
      },
    },
  ];
}

const formBody = express.urlencoded({ extended: false, limit: '4mb', parameterLimit: 100 });

/** Staff locals for every staff view, as the rest of the staff area sets them. */
const staffLocals: RequestHandler = (_req, res, next) => {
  res.locals.staffArea = true;
  next();
};

/** The authoring pages behind the same access control as the rest of the staff area (see staff.ts). */
export function staffStoriesRouter(deps: StaffDeps): Router {
  const router = Router();
  for (const route of storyRoutes(deps)) {
    const chain: RequestHandler[] = [requireStaff('page'), requireRole(route.role), staffLocals];
    if (route.body === 'form') chain.push(formBody, csrfProtection);
    else if (route.body === 'none' && route.method !== 'get') chain.push(csrfProtection);
    router[route.method](route.path, ...chain, route.handler);
  }
  return router;
}
