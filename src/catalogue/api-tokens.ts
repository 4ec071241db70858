import { createHash, randomBytes } from 'node:crypto';
import type { Db } from './database.ts';
import type { Role, StaffUser } from './users.ts';

/**
 * Personal API tokens for scripts (`Authorization: Bearer …`). The token is shown once when created;
 * only its SHA-256 is kept — a fast hash is enough for 256 random bits, unlike for passwords.
 */
export interface ApiToken { id: string; label: string; createdAt: string; lastUsedAt: string | null }

const PREFIX = 'wst_';
const digest = (token: string) => createHash('sha256').update(token).digest('hex');

interface TokenRow { id: string; label: string; created_at: string; last_used_at: string | null }

export function createApiTokenRepository(db: Db) {
  return {
    create(userId: number, label: string): { token: string; record: ApiToken } {
      const id = randomBytes(6).toString('hex');
      const token = PREFIX + randomBytes(32).toString('base64url');
      const at = new Date().toISOString();
      db.prepare('INSERT INTO api_tokens (id, user_id, label, token_hash, created_at) VALUES (?, ?, ?, ?, ?)')
        .run(id, userId, label.trim().slice(0, 100) || '—', digest(token), at);
      return { token, record: { id, label, createdAt: at, lastUsedAt: null } };
    },
    listForUser(userId: number): ApiToken[] {
      return db.prepare<[number], TokenRow>('SELECT id, label, created_at, last_used_at FROM api_tokens WHERE user_id = ? ORDER BY created_at DESC')
        .all(userId).map((r) => ({ id: r.id, label: r.label, createdAt: r.created_at, lastUsedAt: r.last_used_at }));
    },
    /** True when the token existed and belonged to the user. */
    revoke(userId: number, id: string): boolean {
      return db.prepare('DELETE FROM api_tokens WHERE id = ? AND user_id = ?').run(id, userId).changes === 1;
    },
    /** The active staff user a token belongs to, or null. */
    authenticate(token: string): StaffUser | null {
      if (!token.startsWith(PREFIX) || token.length > 200) return null;
      const row = db.prepare<[string], { token_id: string; id: number; name: string; role: Role; disabled: number; created_at: string }>(
        `SELECT t.id AS token_id, u.id, u.name, u.role, u.disabled, u.created_at
           FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.token_hash = ?`,
      ).get(digest(token));
      if (!row || row.disabled === 1) return null;
      db.prepare('UPDATE api_tokens SET last_used_at = ? WHERE id = ?').run(new Date().toISOString(), row.token_id);
      return { id: row.id, name: row.name, role: row.role, disabled: false, createdAt: row.created_at };
    },
  };
}
export type ApiTokenRepository = ReturnType<typeof createApiTokenRepository>;
