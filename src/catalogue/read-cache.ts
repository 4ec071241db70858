import type { Db } from './database.ts';

/**
 * Catalogue reads kept in memory until the database changes. Search reads the same rows over and
 * over: Meilisearch breaks ties in its order by when pages were indexed, so the 200 pages a query
 * re-ranks and the 20 it shows are much the same pages from one query to the next, and reading them
 * took a third of the service's own time per search.
 *
 * Nothing goes stale: before each read the cache asks SQLite whether anything was committed since
 * the last one — `data_version` changes when another connection commits (the ingest CLI, the job
 * process), `total_changes()` when this connection writes — and if so empties every store.
 */
export interface ReadCache {
  /** A store of values of one kind, least recently used dropped beyond `budget` (in `size` units). */
  store<V>(options: { size: (value: V) => number; budget: number }): CachedReads<V>;
}

export interface CachedReads<V> {
  /** Values for `keys`, from memory where kept; `load` reads the others (keys it leaves out stay unknown). */
  many(keys: string[], load: (missing: string[]) => Map<string, V>): Map<string, V>;
}

/**
 * A mark of what has been committed to the catalogue as this connection sees it: it differs from the
 * last one when another connection committed (`data_version`) or this one wrote (`total_changes()`).
 */
export function commitMark(db: Db): () => string {
  const changes = db.prepare<[], { changes: number; version: number }>(
    'SELECT total_changes() AS changes, data_version AS version FROM pragma_data_version',
  );
  return () => {
    const row = changes.get()!;
    return `${row.version}:${row.changes}`;
  };
}

export function createReadCache(db: Db): ReadCache {
  const mark = commitMark(db);
  const clears: Array<() => void> = [];
  let seen = '';

  function emptyIfChanged(): void {
    const now = mark();
    if (now === seen) return;
    seen = now;
    for (const clear of clears) clear();
  }

  return {
    store<V>({ size, budget }: { size: (value: V) => number; budget: number }): CachedReads<V> {
      const entries = new Map<string, V>();
      let used = 0;
      clears.push(() => {
        entries.clear();
        used = 0;
      });
      return {
        many(keys, load) {
          emptyIfChanged();
          const result = new Map<string, V>();
          const missing: string[] = [];
          for (const k of keys) {
            const v = entries.get(k);
            if (v === undefined) {
              missing.push(k);
              continue;
            }
            // A map keeps insertion order: re-inserting makes it the most recently used.
            entries.delete(k);
            entries.set(k, v);
            result.set(k, v);
          }
          if (missing.length === 0) return result;
          for (const [k, v] of load(missing)) {
            result.set(k, v);
            if (entries.has(k)) continue;
            entries.set(k, v);
            used += size(v);
          }
          for (const [k, v] of entries) {
            if (used <= budget) break;
            entries.delete(k);
            used -= size(v);
          }
          return result;
        },
      };
    },
  };
}
