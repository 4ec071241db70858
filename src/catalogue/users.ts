import type { Db } from './database.ts';
import { hashPassword, passwordProblem, verifyAgainstDecoy, verifyPassword } from './passwords.ts';

/** Staff roles, the one table of them: admins manage accounts and delete; editors upload, edit, correct, publish. */
export const ROLES = ['admin', 'editor'] as const;
export type Role = (typeof ROLES)[number];

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

/** What may a role do: admins can do everything editors can. */
export function roleAllows(role: Role, needed: Role): boolean {
  return role === 'admin' || needed === 'editor';
}

export interface StaffUser {
  id: number;
  name: string;
  role: Role;
  disabled: boolean;
  createdAt: string;
}

export type UserErrorCode = 'invalid-name' | 'weak-password' | 'name-taken' | 'unknown-user' | 'last-admin';

export class UserError extends Error {
  override readonly name = 'UserError';
  constructor(readonly code: UserErrorCode, message: string) {
    super(message);
  }
}

/** Letters (any script), digits and `_ . @ -`; no colon, since HTTP Basic splits user and password at the first one. */
const NAME = /^[\p{L}\p{N}_.@-]{1,64}$/u;

export function nameProblem(name: string): string | null {
  return NAME.test(name) ? null : '用户名只能包含文字、数字和 _ . @ -，最多 64 个字符 (letters, digits, _ . @ -; at most 64)';
}

interface UserRow { id: number; name: string; role: Role; password_hash: string; disabled: number; created_at: string }

const toUser = (r: UserRow): StaffUser => ({ id: r.id, name: r.name, role: r.role, disabled: r.disabled === 1, createdAt: r.created_at });

export function createUserRepository(db: Db) {
  const byName = db.prepare<[string], UserRow>('SELECT * FROM users WHERE name = ?');
  const byId = db.prepare<[number], UserRow>('SELECT * FROM users WHERE id = ?');
  const now = () => new Date().toISOString();

  function activeAdmins(): number {
    return (db.prepare("SELECT COUNT(*) AS n FROM users WHERE role = 'admin' AND disabled = 0").get() as { n: number }).n;
  }
  function requireUser(id: number): UserRow {
    const row = byId.get(id);
    if (!row) throw new UserError('unknown-user', '用户不存在 (no such user)');
    return row;
  }

  return {
    list(): StaffUser[] {
      return db.prepare<[], UserRow>('SELECT * FROM users ORDER BY name').all().map(toUser);
    },
    get(id: number): StaffUser | null {
      const row = byId.get(id);
      return row ? toUser(row) : null;
    },
    findByName(name: string): StaffUser | null {
      const row = byName.get(name);
      return row ? toUser(row) : null;
    },
    count(): number {
      return (db.prepare('SELECT COUNT(*) AS n FROM users').get() as { n: number }).n;
    },
    async create(name: string, role: Role, password: string): Promise<StaffUser> {
      const problem = nameProblem(name) ?? passwordProblem(password);
      if (problem) throw new UserError(nameProblem(name) ? 'invalid-name' : 'weak-password', problem);
      if (byName.get(name)) throw new UserError('name-taken', `用户名已存在 (name taken): ${name}`);
      const hash = await hashPassword(password);
      const t = now();
      const id = Number(db.prepare('INSERT INTO users (name, role, password_hash, created_at, updated_at) VALUES (?, ?, ?, ?, ?)')
        .run(name, role, hash, t, t).lastInsertRowid);
      return this.get(id)!;
    },
    async setPassword(id: number, password: string): Promise<void> {
      requireUser(id);
      const problem = passwordProblem(password);
      if (problem) throw new UserError('weak-password', problem);
      const hash = await hashPassword(password);
      db.prepare('UPDATE users SET password_hash = ?, updated_at = ? WHERE id = ?').run(hash, now(), id);
    },
    /** Changes a role; refuses to leave the archive without an active admin. */
    setRole(id: number, role: Role): StaffUser {
      const row = requireUser(id);
      if (row.role === 'admin' && role !== 'admin' && row.disabled === 0 && activeAdmins() <= 1) {
        throw new UserError('last-admin', '至少需要保留一名管理员 (the last admin cannot be demoted)');
      }
      db.prepare('UPDATE users SET role = ?, updated_at = ? WHERE id = ?').run(role, now(), id);
      return this.get(id)!;
    },
    setDisabled(id: number, disabled: boolean): StaffUser {
      const row = requireUser(id);
      if (disabled && row.role === 'admin' && row.disabled === 0 && activeAdmins() <= 1) {
        throw new UserError('last-admin', '至少需要保留一名管理员 (the last admin cannot be disabled)');
      }
      db.prepare('UPDATE users SET disabled = ?, updated_at = ? WHERE id = ?').run(disabled ? 1 : 0, now(), id);
      return this.get(id)!;
    },
    /** The user for a name and password, or null; unknown names take as long as wrong passwords. */
    async authenticate(name: string, password: string): Promise<StaffUser | null> {
      const row = name.length <= 64 && password.length <= 1024 ? byName.get(name) : undefined;
      if (!row) return verifyAgainstDecoy(password).then(() => null);
      const ok = await verifyPassword(password, row.password_hash);
      return ok && row.disabled === 0 ? toUser(row) : null;
    },
  };
}
export type UserRepository = ReturnType<typeof createUserRepository>;

/**
 * ADMIN_USER/ADMIN_PASSWORD at start: that account exists, is an active admin and has that password.
 * Returns what was done, for the start-up log.
 */
export async function ensureBootstrapAdmin(
  users: UserRepository,
  account: { adminUser: string | null; adminPassword: string | null },
): Promise<'created' | 'updated' | 'skipped'> {
  const { adminUser: name, adminPassword: password } = account;
  if (!name || !password) return 'skipped';
  const existing = users.findByName(name);
  if (!existing) {
    await users.create(name, 'admin', password);
    return 'created';
  }
  if (existing.role !== 'admin') users.setRole(existing.id, 'admin');
  if (existing.disabled) users.setDisabled(existing.id, false);
  if (!(await users.authenticate(name, password))) await users.setPassword(existing.id, password);
  return 'updated';
}
