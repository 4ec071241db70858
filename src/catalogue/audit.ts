import type { Db } from './database.ts';

export interface AuditEntry { at: string; actor: string; action: string; target: string; detail: string }

/** Who did what and when; written by every state change that staff or the CLI make. */
export function createAuditLog(db: Db) {
  const insert = db.prepare('INSERT INTO audit (at, actor, action, target, detail) VALUES (?, ?, ?, ?, ?)');
  return {
    record(actor: string, action: string, target = '', detail = ''): void {
      insert.run(new Date().toISOString(), actor, action, target, detail);
    },
    recent(limit = 200): AuditEntry[] {
      return db.prepare<[number], AuditEntry>('SELECT at, actor, action, target, detail FROM audit ORDER BY id DESC LIMIT ?').all(limit);
    },
  };
}
export type AuditLog = ReturnType<typeof createAuditLog>;
