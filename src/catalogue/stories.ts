import type { Db } from './database.ts';

/**
 * Stories: curated narratives (Markdown) that staff write from the archive and that cite its pages.
 * Every save keeps the previous content as a revision, so an editor can always see what changed.
 */
export type StoryStatus = 'draft' | 'published';

/** A rectangle in the page image's pixel space (the coordinate space of IIIF canvases and word boxes). */
export interface Region { x: number; y: number; w: number; h: number }

/** The story's picture: a region of an archive page, or a picture uploaded by staff (kept among the originals). */
export type StoryCover =
  | { kind: 'page'; documentId: string; pageNumber: number; region: Region | null; alt: string }
  | { kind: 'upload'; sha256: string; alt: string };

/** What an editor writes; everything else (status, timestamps) follows from actions. */
export interface StoryContent {
  slug: string;
  title: string;
  summary: string;
  tags: string[];
  era: string;
  body: string;
  featured: boolean;
}

export interface StoryRecord extends StoryContent {
  id: number;
  cover: StoryCover | null;
  status: StoryStatus;
  author: string;
  createdAt: string;
  updatedAt: string;
  publishedAt: string | null;
}

export interface StoryRevision { id: number; storyId: number; content: StoryContent; actor: string; at: string }

export interface StoryListOptions {
  /** `published` for the public; `all` for staff. */
  visibility: 'published' | 'all';
  tag?: string;
  era?: string;
  featured?: boolean;
  limit?: number;
  offset?: number;
}

interface StoryRow {
  id: number; slug: string; title: string; summary: string;
  cover_document_id: string | null; cover_page: number | null; cover_region: string | null; cover_sha256: string | null; cover_alt: string;
  tags: string; era: string; body: string; status: StoryStatus; featured: number; author: string;
  created_at: string; updated_at: string; published_at: string | null;
}

/** `x,y,w,h` as stored; the form edits and the embed syntax use the same notation. */
export function formatRegion(r: Region): string {
  return `${r.x},${r.y},${r.w},${r.h}`;
}

function parseStoredRegion(text: string | null): Region | null {
  if (!text) return null;
  const [x = 0, y = 0, w = 0, h = 0] = text.split(',').map(Number);
  return { x, y, w, h };
}

function parseTags(json: string): string[] {
  const value: unknown = JSON.parse(json);
  return Array.isArray(value) ? value.filter((t): t is string => typeof t === 'string') : [];
}

function toCover(row: StoryRow): StoryCover | null {
  if (row.cover_sha256) return { kind: 'upload', sha256: row.cover_sha256, alt: row.cover_alt };
  if (row.cover_document_id && row.cover_page !== null) {
    return { kind: 'page', documentId: row.cover_document_id, pageNumber: row.cover_page, region: parseStoredRegion(row.cover_region), alt: row.cover_alt };
  }
  return null;
}

function toRecord(row: StoryRow): StoryRecord {
  return {
    id: row.id, slug: row.slug, title: row.title, summary: row.summary, cover: toCover(row), tags: parseTags(row.tags),
    era: row.era, body: row.body, status: row.status, featured: row.featured === 1, author: row.author,
    createdAt: row.created_at, updatedAt: row.updated_at, publishedAt: row.published_at,
  };
}

function contentOf(story: StoryRecord | StoryContent): StoryContent {
  return { slug: story.slug, title: story.title, summary: story.summary, tags: story.tags, era: story.era, body: story.body, featured: story.featured };
}

/** The slug is taken by another story. */
export class SlugTakenError extends Error {
  override readonly name = 'SlugTakenError';
  constructor(readonly slug: string) {
    super(`slug ${slug} is taken`);
  }
}

function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: string } | null)?.code === 'SQLITE_CONSTRAINT_UNIQUE';
}

export function createStoryRepository(db: Db) {
  const byId = db.prepare<[number], StoryRow>('SELECT * FROM stories WHERE id = ?');
  const bySlug = db.prepare<[string], StoryRow>('SELECT * FROM stories WHERE slug = ?');
  const addRevision = db.prepare('INSERT INTO story_revisions (story_id, content, actor, at) VALUES (?, ?, ?, ?)');

  const params = (c: StoryContent) => ({
    slug: c.slug, title: c.title, summary: c.summary, tags: JSON.stringify(c.tags), era: c.era, body: c.body, featured: c.featured ? 1 : 0,
  });

  return {
    get(id: number): StoryRecord | null {
      const row = byId.get(id);
      return row ? toRecord(row) : null;
    },
    findBySlug(slug: string): StoryRecord | null {
      const row = bySlug.get(slug);
      return row ? toRecord(row) : null;
    },
    /** A new draft; its first revision is the content it was created with. Throws SlugTakenError. */
    create(content: StoryContent, author: string): StoryRecord {
      const now = new Date().toISOString();
      try {
        return db.transaction(() => {
          const id = Number(db.prepare(
            `INSERT INTO stories (slug, title, summary, tags, era, body, featured, author, created_at, updated_at)
             VALUES (@slug, @title, @summary, @tags, @era, @body, @featured, @author, @now, @now)`,
          ).run({ ...params(content), author, now }).lastInsertRowid);
          addRevision.run(id, JSON.stringify(contentOf(content)), author, now);
          return this.get(id)!;
        })();
      } catch (error) {
        if (isUniqueViolation(error)) throw new SlugTakenError(content.slug);
        throw error;
      }
    },
    /** Saves new content and records it as a revision. Throws SlugTakenError. */
    update(id: number, content: StoryContent, actor: string): StoryRecord | null {
      const now = new Date().toISOString();
      try {
        return db.transaction(() => {
          const changed = db.prepare(
            `UPDATE stories SET slug = @slug, title = @title, summary = @summary, tags = @tags, era = @era, body = @body,
                    featured = @featured, updated_at = @now WHERE id = @id`,
          ).run({ ...params(content), now, id }).changes;
          if (changed === 0) return null;
          addRevision.run(id, JSON.stringify(contentOf(content)), actor, now);
          return this.get(id);
        })();
      } catch (error) {
        if (isUniqueViolation(error)) throw new SlugTakenError(content.slug);
        throw error;
      }
    },
    /** Publishing keeps the date of first publication; unpublishing returns the story to the drafts. */
    setStatus(id: number, status: StoryStatus): StoryRecord | null {
      const now = new Date().toISOString();
      db.prepare(`UPDATE stories SET status = ?, updated_at = ?, published_at = CASE WHEN ? = 'published' THEN COALESCE(published_at, ?) ELSE published_at END WHERE id = ?`)
        .run(status, now, status, now, id);
      return this.get(id);
    },
    setCover(id: number, cover: StoryCover | null): StoryRecord | null {
      const page = cover?.kind === 'page' ? cover : null;
      db.prepare(
        `UPDATE stories SET cover_document_id = ?, cover_page = ?, cover_region = ?, cover_sha256 = ?, cover_alt = ?, updated_at = ? WHERE id = ?`,
      ).run(
        page?.documentId ?? null, page?.pageNumber ?? null, page?.region ? formatRegion(page.region) : null,
        cover?.kind === 'upload' ? cover.sha256 : null, cover?.alt ?? '', new Date().toISOString(), id,
      );
      return this.get(id);
    },
    delete(id: number): boolean {
      return db.prepare('DELETE FROM stories WHERE id = ?').run(id).changes > 0;
    },
    /** Newest first: by first publication for the public, by last change for staff. */
    list(opts: StoryListOptions): StoryRecord[] {
      const where: string[] = [];
      const args: Array<string | number> = [];
      if (opts.visibility === 'published') where.push("status = 'published'");
      if (opts.tag) {
        where.push('EXISTS (SELECT 1 FROM json_each(stories.tags) WHERE value = ?)');
        args.push(opts.tag);
      }
      if (opts.era) {
        where.push('era = ?');
        args.push(opts.era);
      }
      if (opts.featured !== undefined) where.push(`featured = ${opts.featured ? 1 : 0}`);
      const order = opts.visibility === 'published' ? 'published_at DESC, id DESC' : 'updated_at DESC, id DESC';
      return db.prepare<Array<string | number>, StoryRow>(
        `SELECT * FROM stories ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY ${order} LIMIT ? OFFSET ?`,
      ).all(...args, opts.limit ?? 200, opts.offset ?? 0).map(toRecord);
    },
    /** Keeps the normalised text that story search verifies against (see story-actions.ts). */
    saveSearchText(id: number, text: string): void {
      db.prepare('INSERT INTO story_search_texts (story_id, text) VALUES (?, ?) ON CONFLICT(story_id) DO UPDATE SET text = excluded.text').run(id, text);
    },
    /** The stored search texts of these stories (those that have one). */
    searchTexts(ids: number[]): Map<number, string> {
      const rows = db.prepare<[string], { story_id: number; text: string }>(
        'SELECT t.story_id, t.text FROM json_each(?) j JOIN story_search_texts t ON t.story_id = j.value',
      ).all(JSON.stringify(ids));
      return new Map(rows.map((r) => [r.story_id, r.text]));
    },
    /** Ids of the stories the caller may see: every story for staff, the published ones for the public. */
    visibleIds(visibility: 'published' | 'all'): Set<number> {
      const where = visibility === 'published' ? "WHERE status = 'published'" : '';
      return new Set(db.prepare<[], { id: number }>(`SELECT id FROM stories ${where}`).all().map((r) => r.id));
    },
    count(visibility: 'published' | 'all'): number {
      const where = visibility === 'published' ? "WHERE status = 'published'" : '';
      return (db.prepare(`SELECT COUNT(*) AS n FROM stories ${where}`).get() as { n: number }).n;
    },
    /** Tags of published stories with how many stories carry each, most used first. */
    publishedTags(): Array<{ tag: string; stories: number }> {
      return db.prepare<[], { tag: string; stories: number }>(
        `SELECT j.value AS tag, COUNT(*) AS stories FROM stories s, json_each(s.tags) j
          WHERE s.status = 'published' GROUP BY j.value ORDER BY stories DESC, tag`,
      ).all();
    },
    publishedEras(): Array<{ era: string; stories: number }> {
      return db.prepare<[], { era: string; stories: number }>(
        `SELECT era, COUNT(*) AS stories FROM stories WHERE status = 'published' AND era != '' GROUP BY era ORDER BY era`,
      ).all();
    },
    revisions(storyId: number): StoryRevision[] {
      return db.prepare<[number], { id: number; story_id: number; content: string; actor: string; at: string }>(
        'SELECT * FROM story_revisions WHERE story_id = ? ORDER BY id DESC',
      ).all(storyId).map((r) => ({ id: r.id, storyId: r.story_id, content: JSON.parse(r.content) as StoryContent, actor: r.actor, at: r.at }));
    },
  };
}
export type StoryRepository = ReturnType<typeof createStoryRepository>;
