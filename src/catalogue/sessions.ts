import { createHash, randomBytes } from 'node:crypto';
import type { Db } from './database.ts';
import type { Role, StaffUser } from './users.ts';

/**
 * Server-side staff sessions. The browser holds only a random id; the table keeps its SHA-256, so a
 * copy of the database does not hand out live sessions. Each session carries its CSRF token.
 */
export const SESSION_IDLE_MS = 12 * 3600_000;
/** A session is extended when used, but never past this age. */
export const SESSION_MAX_MS = 7 * 86400_000;

export interface StaffSession {
  idHash: string;
  user: StaffUser;
  csrfToken: string;
  expiresAt: string;
}

interface SessionRow {
  id_hash: string; user_id: number; csrf_token: string; created_at: string; expires_at: string;
  name: string; role: Role; disabled: number; user_created_at: string;
}

const digest = (id: string) => createHash('sha256').update(id).digest('hex');

export function createSessionRepository(db: Db) {
  const lookup = db.prepare<[string], SessionRow>(
    `SELECT s.*, u.name, u.role, u.disabled, u.created_at AS user_created_at
       FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.id_hash = ?`,
  );
  return {
    /** A new session for the user; the returned id goes into the cookie and is not stored. */
    create(userId: number, now = Date.now()): { id: string; csrfToken: string } {
      const id = randomBytes(32).toString('base64url');
      const csrfToken = randomBytes(32).toString('base64url');
      db.prepare('INSERT INTO sessions (id_hash, user_id, csrf_token, created_at, expires_at) VALUES (?, ?, ?, ?, ?)')
        .run(digest(id), userId, csrfToken, new Date(now).toISOString(), new Date(now + SESSION_IDLE_MS).toISOString());
      return { id, csrfToken };
    },
    /** The live session for a cookie id, extended on use; expired sessions and disabled users give null. */
    find(id: string, now = Date.now()): StaffSession | null {
      const row = lookup.get(digest(id));
      if (!row) return null;
      if (Date.parse(row.expires_at) <= now || row.disabled === 1) {
        db.prepare('DELETE FROM sessions WHERE id_hash = ?').run(row.id_hash);
        return null;
      }
      const hardEnd = Date.parse(row.created_at) + SESSION_MAX_MS;
      const extended = Math.min(now + SESSION_IDLE_MS, hardEnd);
      // Written at most every few minutes, not on every request.
      if (extended - Date.parse(row.expires_at) > 5 * 60_000) {
        db.prepare('UPDATE sessions SET expires_at = ? WHERE id_hash = ?').run(new Date(extended).toISOString(), row.id_hash);
      }
      return {
        idHash: row.id_hash, csrfToken: row.csrf_token, expiresAt: new Date(extended).toISOString(),
        user: { id: row.user_id, name: row.name, role: row.role, disabled: false, createdAt: row.user_created_at },
      };
    },
    destroy(id: string): void {
      db.prepare('DELETE FROM sessions WHERE id_hash = ?').run(digest(id));
    },
    /** Ends every session of a user (password changed, account disabled), optionally keeping one. */
    destroyForUser(userId: number, keepIdHash: string | null = null): void {
      db.prepare('DELETE FROM sessions WHERE user_id = ? AND id_hash IS NOT ?').run(userId, keepIdHash);
    },
    purgeExpired(now = Date.now()): number {
      return db.prepare('DELETE FROM sessions WHERE expires_at <= ?').run(new Date(now).toISOString()).changes;
    },
  };
}
export type SessionRepository = ReturnType<typeof createSessionRepository>;
