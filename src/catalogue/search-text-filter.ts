import type { Db } from './database.ts';

/** Candidates that passed a search-text check: their positions in the candidate list, in order. */
export interface SearchTextHits {
  indices: Int32Array;
  /** 1 where the page has a stored search text (it was checked), 0 where it has none yet. */
  stored: Uint8Array;
}

/**
 * The check of candidate pages against their stored normalised search texts, as one statement over
 * all candidates (`instr` in SQLite: no text is copied into JavaScript). Candidates are passed as
 * the JSON of `[documentId, number]` pairs. A stored text is deleted with its page (foreign key), so
 * it vouches for the page; candidates without one are only looked up in `pages` and come back with
 * `stored` 0 for the caller to check. Used on the catalogue's own connection and, for long candidate
 * lists, on read-only connections in worker threads (search-text-workers.ts).
 */
export function createSearchTextFilter(db: Db) {
  const statements = new Map<string, { all(...params: unknown[]): Array<[number, number]> }>();
  return (candidatesJson: string, include: string[], exclude: string[]): SearchTextHits => {
    const shape = `${include.length}:${exclude.length}`;
    let stmt = statements.get(shape);
    if (!stmt) {
      const tests = [...include.map(() => 'instr(s.text, ?) > 0'), ...exclude.map(() => 'instr(s.text, ?) = 0')];
      stmt = db.prepare(
        `SELECT j.key AS i, s.text IS NOT NULL AS stored
           FROM json_each(?) j
           LEFT JOIN page_search_texts s ON s.document_id = j.value ->> 0 AND s.number = j.value ->> 1
          WHERE CASE WHEN s.text IS NULL
                     THEN EXISTS (SELECT 1 FROM pages p WHERE p.document_id = j.value ->> 0 AND p.number = j.value ->> 1)
                     ELSE ${tests.length > 0 ? tests.join(' AND ') : '1'} END
          ORDER BY j.key`,
      ).raw() as unknown as { all(...params: unknown[]): Array<[number, number]> };
      statements.set(shape, stmt);
    }
    const rows = stmt.all(candidatesJson, ...include, ...exclude);
    const indices = new Int32Array(rows.length);
    const stored = new Uint8Array(rows.length);
    for (let k = 0; k < rows.length; k++) {
      const row = rows[k]!;
      indices[k] = row[0];
      stored[k] = row[1];
    }
    return { indices, stored };
  };
}

/** The JSON the filter takes for a list of page keys. */
export function candidatesJson(candidates: Array<{ documentId: string; number: number }>): string {
  return JSON.stringify(candidates.map((c) => [c.documentId, c.number]));
}
