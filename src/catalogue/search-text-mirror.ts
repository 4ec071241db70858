/**
 * Every stored search text (migration 5) held in memory, with its page's headline, for the search
 * process. Ranking reads the texts of the 200 pages it re-ranks and verification those of every
 * candidate: from SQLite that was the largest part of the service's own time per search (at 100,000
 * pages, checking 22,000 candidates took 200–250 ms; held in memory, 20–40 ms).
 *
 * It stays exact across processes: every write of a stored text is logged with a sequence number
 * (migration 8, by trigger, whichever connection writes). Before each use the mirror asks SQLite
 * whether anything was committed since (`data_version`, `total_changes()`), and if so re-reads the
 * pages logged after the last entry it applied. When it fell behind the kept log, or more pages
 * changed than it re-reads on the spot (a rebuild), it loads everything again in the background,
 * a chunk per turn of the event loop; until then callers read SQLite as before (`null` answers).
 *
 * Memory is bounded: past `budgetBytes` the mirror gives up for the life of the process and every
 * read goes to SQLite (about 370 MB for 100,000 pages of 1,150 characters).
 */
import type { Db } from './database.ts';
import { commitMark } from './read-cache.ts';
import type { SearchTextHits } from './search-text-filter.ts';

type Key = { documentId: string; number: number };

/**
 * As JavaScript strings, not UTF-8 bytes: two bytes a Chinese character instead of three, and
 * `includes` on them checked 22,000 pages in 21–24 ms against 45–51 ms for `Buffer.indexOf`.
 */
export interface HeldSearchText { headline: string | null; searchText: string }

export interface SearchTextMirrorOptions {
  budgetBytes: number;
  /** Rows read per step of a load; the event loop runs between steps (about 20 ms for 500 rows). */
  chunkRows?: number;
  /** Changed pages re-read on the spot at most; beyond that the mirror reloads in the background. */
  maxChangesApplied?: number;
  /** Told when the mirror gives up (over budget) or a load fails. */
  onNotice?: (message: string) => void;
}

/** What a held text weighs beyond its bytes: the key, the objects and the map entry. */
const ENTRY_OVERHEAD = 200;
const CHUNK_ROWS = 500;
const MAX_CHANGES_APPLIED = 5_000;

const keyOf = (documentId: string, number: number) => `${documentId}:${number}`;

interface TextRow { document_id: string; number: number; headline: string | null; search_text: string }

export function createSearchTextMirror(db: Db, opts: SearchTextMirrorOptions) {
  const chunkRows = opts.chunkRows ?? CHUNK_ROWS;
  const maxChangesApplied = opts.maxChangesApplied ?? MAX_CHANGES_APPLIED;
  const commits = commitMark(db);
  // Two sub-queries: SQLite answers a lone min() or max() of the key from the b-tree's edge.
  const logBounds = db.prepare<[], { first: number | null; last: number | null }>(
    'SELECT (SELECT min(seq) FROM search_text_changes) AS first, (SELECT max(seq) FROM search_text_changes) AS last',
  );
  const loggedSince = db.prepare<[number], { seq: number; document_id: string; number: number }>(
    'SELECT seq, document_id, number FROM search_text_changes WHERE seq > ? ORDER BY seq',
  );
  const textsOfKeys = db.prepare<[string], TextRow>(
    `SELECT s.document_id, s.number, p.headline, s.text AS search_text
       FROM json_each(?) j
       JOIN page_search_texts s ON s.document_id = j.value ->> 0 AND s.number = j.value ->> 1
       JOIN pages p ON p.document_id = s.document_id AND p.number = s.number`,
  );
  const chunk = db.prepare<[number, number], TextRow & { rowid: number }>(
    `SELECT s.rowid AS rowid, s.document_id, s.number, p.headline, s.text AS search_text
       FROM page_search_texts s JOIN pages p ON p.document_id = s.document_id AND p.number = s.number
      WHERE s.rowid > ? ORDER BY s.rowid LIMIT ?`,
  );

  let entries: Map<string, HeldSearchText> | null = null;
  let bytes = 0;
  let appliedSeq = 0;
  let seenCommits = '';
  let loading: Promise<void> | null = null;
  /** Bumped to abandon a load in progress (closed, or superseded). */
  let generation = 0;
  let givenUp = opts.budgetBytes <= 0; // turned off
  let closed = false;

  const weight = (v: HeldSearchText) => 2 * (v.searchText.length + (v.headline?.length ?? 0)) + ENTRY_OVERHEAD;

  function giveUp(message: string): void {
    givenUp = true;
    entries = null;
    bytes = 0;
    generation++;
    opts.onNotice?.(message);
  }

  function overBudget(size: number): boolean {
    if (size <= opts.budgetBytes) return false;
    giveUp(`search texts exceed ${Math.round(opts.budgetBytes / 2 ** 20)} MB; read from the catalogue instead`);
    return true;
  }

  function put(map: Map<string, HeldSearchText>, row: TextRow): number {
    const key = keyOf(row.document_id, row.number);
    const value = { headline: row.headline, searchText: row.search_text };
    const before = map.get(key);
    map.set(key, value);
    return weight(value) - (before ? weight(before) : 0);
  }

  function lastLogged(): number {
    return logBounds.get()?.last ?? 0;
  }

  async function load(): Promise<void> {
    const mine = ++generation;
    // Entries logged from here on are applied after the scan: a page rewritten while it runs may be
    // read in either version, and its log entry settles it.
    const fromSeq = lastLogged();
    const fresh = new Map<string, HeldSearchText>();
    let size = 0;
    for (let after = 0; ;) {
      if (mine !== generation) return;
      const rows = chunk.all(after, chunkRows);
      for (const row of rows) size += put(fresh, row);
      if (overBudget(size)) return;
      if (rows.length < chunkRows) break;
      after = rows[rows.length - 1]!.rowid;
      await new Promise((resolve) => setImmediate(resolve));
    }
    if (mine !== generation) return;
    entries = fresh;
    bytes = size;
    appliedSeq = fromSeq;
    seenCommits = '';
  }

  function startLoad(): void {
    if (loading || givenUp || closed) return;
    loading = load()
      .catch((error: unknown) => {
        entries = null;
        opts.onNotice?.(`search texts not held in memory: ${error instanceof Error ? error.message : String(error)}`);
      })
      .finally(() => {
        loading = null;
      });
  }

  /** Brings the held texts up to date with the catalogue; false when they are not (yet) held. */
  function current(): boolean {
    if (entries === null) {
      startLoad();
      return false;
    }
    const now = commits();
    if (now === seenCommits) return true;
    const { first, last } = logBounds.get() ?? { first: null, last: null };
    if (last !== null && last > appliedSeq) {
      // Fell behind the kept log (entries after ours were dropped), or too many pages to re-read now.
      if ((first !== null && first > appliedSeq + 1) || last - appliedSeq > maxChangesApplied) {
        entries = null;
        startLoad();
        return false;
      }
      const changed = new Map<string, Key>();
      let upTo = appliedSeq;
      for (const row of loggedSince.all(appliedSeq)) {
        changed.set(keyOf(row.document_id, row.number), { documentId: row.document_id, number: row.number });
        upTo = Math.max(upTo, row.seq);
      }
      const held = entries;
      for (const key of changed.keys()) {
        const before = held.get(key);
        if (before) bytes -= weight(before);
        held.delete(key);
      }
      const json = JSON.stringify([...changed.values()].map((k) => [k.documentId, k.number]));
      for (const row of textsOfKeys.all(json)) bytes += put(held, row);
      if (overBudget(bytes)) return false;
      appliedSeq = upTo;
    }
    seenCommits = now;
    return true;
  }

  return {
    /** Starts loading in the background unless held (a search starts it too); resolves when done. */
    load(): Promise<void> {
      if (entries === null) startLoad();
      return loading ?? Promise.resolve();
    },
    /**
     * The held texts of `keys` (pages without a stored text are not held); null when the mirror is
     * not ready, so the caller reads SQLite.
     */
    textsOf(keys: Key[]): Map<string, HeldSearchText> | null {
      if (!current()) return null;
      const out = new Map<string, HeldSearchText>();
      for (const k of keys) {
        const key = keyOf(k.documentId, k.number);
        const v = entries!.get(key);
        if (v) out.set(key, v);
      }
      return out;
    },
    /**
     * The check of search-text-filter.ts on the held texts: candidates whose text holds every
     * `include` and no `exclude` string (`hits`, all with a stored text), and the positions of the
     * candidates not held (`unheld`: no stored text, or no page) for the caller to check in SQLite.
     * Null when the mirror is not ready.
     */
    filter(candidates: Key[], include: string[], exclude: string[]): { hits: SearchTextHits; unheld: number[] } | null {
      if (!current()) return null;
      const held = entries!;
      const passed: number[] = [];
      const unheld: number[] = [];
      candidates: for (let i = 0; i < candidates.length; i++) {
        const c = candidates[i]!;
        const text = held.get(keyOf(c.documentId, c.number))?.searchText;
        if (text === undefined) {
          unheld.push(i);
          continue;
        }
        for (const w of include) if (!text.includes(w)) continue candidates;
        for (const u of exclude) if (text.includes(u)) continue candidates;
        passed.push(i);
      }
      return { hits: { indices: Int32Array.from(passed), stored: new Uint8Array(passed.length).fill(1) }, unheld };
    },
    /** Pages and bytes held, for the log line at start and for tests. */
    stats(): { ready: boolean; pages: number; bytes: number; givenUp: boolean } {
      return { ready: entries !== null, pages: entries?.size ?? 0, bytes, givenUp };
    },
    /** Abandons a load in progress and drops the texts. */
    close(): void {
      closed = true;
      generation++;
      entries = null;
      bytes = 0;
    },
  };
}
export type SearchTextMirror = ReturnType<typeof createSearchTextMirror>;
