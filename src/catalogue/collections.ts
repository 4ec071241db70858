import type { Db } from './database.ts';
import type { Collection } from './types.ts';

interface CollectionRow { id: number; slug: string; title: string; description: string }

export function createCollectionRepository(db: Db) {
  const bySlug = db.prepare<[string], CollectionRow>('SELECT id, slug, title, description FROM collections WHERE slug = ?');
  const insert = db.prepare('INSERT INTO collections (slug, title, description, created_at) VALUES (?, ?, ?, ?)');
  return {
    findBySlug(slug: string): Collection | null {
      return bySlug.get(slug) ?? null;
    },
    /** Returns the collection with this slug, creating it (title defaults to the slug) when missing. */
    ensure(slug: string, title?: string, description = ''): Collection {
      const found = bySlug.get(slug);
      if (found) return found;
      insert.run(slug, title ?? slug, description, new Date().toISOString());
      return bySlug.get(slug)!;
    },
    /** Collections with the number of documents visible to the caller. */
    listWithCounts(includeUnpublished: boolean): Array<Collection & { documents: number; pages: number }> {
      const visible = includeUnpublished ? '' : 'AND d.published = 1';
      return db
        .prepare<[], Collection & { documents: number; pages: number }>(
          `SELECT c.id, c.slug, c.title, c.description,
                  COUNT(d.id) AS documents, COALESCE(SUM(d.page_count), 0) AS pages
             FROM collections c LEFT JOIN documents d ON d.collection_id = c.id AND d.status != 'failed' AND d.deleted_at IS NULL ${visible}
            GROUP BY c.id ORDER BY c.title`,
        )
        .all();
    },
  };
}
export type CollectionRepository = ReturnType<typeof createCollectionRepository>;
