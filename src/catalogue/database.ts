import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { MIGRATIONS } from './migrations.ts';

/** The one place that opens SQLite; every repository receives the handle from here. */
export type Db = Database.Database;

export function openCatalogue(dataDir: string): Db {
  fs.mkdirSync(dataDir, { recursive: true });
  const db = new Database(path.join(dataDir, 'wenshi.db'));
  // WAL lets the ingest CLI write while the server reads; busy_timeout covers the short write overlaps.
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 10000');
  // Search reads the stored texts of hundreds of pages per query; mapped into memory they are read
  // without a system call per database page (the re-rank read of 200 pages: 1.07 instead of 1.62 ms).
  // The mapping only reserves address space; the operating system's page cache backs it either way.
  db.pragma('mmap_size = 2147418112');
  migrate(db);
  return db;
}

/** Applies the numbered migrations not yet recorded in `user_version`, each in its own transaction. */
export function migrate(db: Db): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  for (const [index, sql] of MIGRATIONS.entries()) {
    const version = index + 1;
    if (version <= current) continue;
    db.transaction(() => {
      db.exec(sql);
      db.pragma(`user_version = ${version}`);
    })();
  }
}
