import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createCatalogue, type Catalogue } from '../../src/catalogue/index.ts';
import { ensureBootstrapAdmin, UserError } from '../../src/catalogue/users.ts';
import { SESSION_IDLE_MS } from '../../src/catalogue/sessions.ts';

const REPO = path.resolve(import.meta.dirname, '..', '..');
let dir: string;
let catalogue: Catalogue;

before(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wenshi-users-'));
  catalogue = createCatalogue(dir);
});
after(() => {
  catalogue.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const storedHash = (name: string) =>
  (catalogue.db.prepare('SELECT password_hash AS h FROM users WHERE name = ?').get(name) as { h: string }).h;

test('passwords are stored as salted scrypt hashes and checked', async () => {
  const { users } = catalogue;
  await users.create('王编辑', 'editor', 'correct horse battery');
  await users.create('李编辑', 'editor', 'correct horse battery');
  const hash = storedHash('王编辑');
  assert.match(hash, /^scrypt\$32768\$8\$1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
  assert.ok(!hash.includes('correct horse'));
  assert.notEqual(hash, storedHash('李编辑'), 'the same password gives different hashes (salted)');
  assert.equal((await users.authenticate('王编辑', 'correct horse battery'))?.role, 'editor');
  assert.equal(await users.authenticate('王编辑', 'correct horse batterY'), null);
  assert.equal(await users.authenticate('nobody', 'correct horse battery'), null);
});

test('bad names, short passwords, taken names and losing the last admin are refused', async () => {
  const { users } = catalogue;
  await assert.rejects(users.create('has:colon', 'editor', 'long enough pw'), (e: UserError) => e.code === 'invalid-name');
  await assert.rejects(users.create('<script>', 'editor', 'long enough pw'), (e: UserError) => e.code === 'invalid-name');
  await assert.rejects(users.create('short', 'editor', '1234567'), (e: UserError) => e.code === 'weak-password');
  await assert.rejects(users.create('王编辑', 'editor', 'long enough pw'), (e: UserError) => e.code === 'name-taken');
  const admin = await users.create('only-admin', 'admin', 'long enough pw');
  assert.throws(() => users.setRole(admin.id, 'editor'), (e: UserError) => e.code === 'last-admin');
  assert.throws(() => users.setDisabled(admin.id, true), (e: UserError) => e.code === 'last-admin');
});

test('a disabled account cannot sign in, and its sessions end', async () => {
  const { users, sessions } = catalogue;
  const user = await users.create('temp-staff', 'editor', 'temporary pass');
  const session = sessions.create(user.id);
  assert.equal(sessions.find(session.id)?.user.name, 'temp-staff');
  users.setDisabled(user.id, true);
  assert.equal(sessions.find(session.id), null);
  assert.equal(await users.authenticate('temp-staff', 'temporary pass'), null);
});

test('ADMIN_USER/ADMIN_PASSWORD: the account is created, and later gets that password and role back', async () => {
  const { users } = catalogue;
  assert.equal(await ensureBootstrapAdmin(users, { adminUser: null, adminPassword: 'x' }), 'skipped');
  assert.equal(await ensureBootstrapAdmin(users, { adminUser: 'boss', adminPassword: 'first password' }), 'created');
  assert.equal((await users.authenticate('boss', 'first password'))?.role, 'admin');
  const boss = users.findByName('boss')!;
  users.setRole(boss.id, 'editor');
  assert.equal(await ensureBootstrapAdmin(users, { adminUser: 'boss', adminPassword: 'second password' }), 'updated');
  assert.equal((await users.authenticate('boss', 'second password'))?.role, 'admin');
  assert.equal(await users.authenticate('boss', 'first password'), null);
});

test('sessions: the cookie id is not stored, idle sessions expire', () => {
  const { users, sessions } = catalogue;
  const user = users.findByName('王编辑')!;
  const start = Date.parse('2025-01-01T00:00:00Z');
  const session = sessions.create(user.id, start);
  const row = catalogue.db.prepare('SELECT id_hash FROM sessions WHERE user_id = ?').get(user.id) as { id_hash: string };
  assert.notEqual(row.id_hash, session.id);
  assert.equal(sessions.find(session.id, start + 1000)?.csrfToken, session.csrfToken);
  assert.equal(sessions.find('not-a-session', start), null);
  assert.equal(sessions.find(session.id, start + 1000 + SESSION_IDLE_MS + 1), null);
});

test('API tokens: shown once, stored hashed, revocable', () => {
  const { users, apiTokens } = catalogue;
  const user = users.findByName('李编辑')!;
  const { token, record } = apiTokens.create(user.id, 'scanner script');
  assert.match(token, /^wst_[A-Za-z0-9_-]{43}$/);
  const stored = catalogue.db.prepare('SELECT token_hash FROM api_tokens WHERE id = ?').get(record.id) as { token_hash: string };
  assert.ok(!stored.token_hash.includes(token.slice(4)));
  assert.equal(apiTokens.authenticate(token)?.name, '李编辑');
  assert.equal(apiTokens.authenticate(token.slice(0, -1) + (token.endsWith('A') ? 'B' : 'A')), null);
  assert.equal(apiTokens.listForUser(user.id)[0]?.label, 'scanner script');
  assert.ok(apiTokens.listForUser(user.id)[0]?.lastUsedAt);
  assert.equal(apiTokens.revoke(user.id + 1000, record.id), false, 'only the owner revokes');
  assert.equal(apiTokens.revoke(user.id, record.id), true);
  assert.equal(apiTokens.authenticate(token), null);
});

test('npm run user -- add NAME --role editor reads the password from standard input', async () => {
  const data = fs.mkdtempSync(path.join(os.tmpdir(), 'wenshi-usercli-'));
  const run = (args: string[], input = '') => spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/user.ts', ...args], {
    cwd: REPO, input, encoding: 'utf8', env: { ...process.env, DATA_DIR: data },
  });
  try {
    const added = run(['add', '张三', '--role', 'editor'], 'a long password\n');
    assert.equal(added.status, 0, added.stderr);
    assert.equal(run(['list']).stdout.trim(), '张三\teditor');
    const again = run(['add', '张三', '--role', 'editor'], 'a long password\n');
    assert.equal(again.status, 1);
    assert.match(again.stderr, /name taken/);
    assert.equal(run(['add', 'weak', '--role', 'admin'], 'short\n').status, 1);
    const check = createCatalogue(data);
    try {
      assert.equal((await check.users.authenticate('张三', 'a long password'))?.role, 'editor');
      assert.equal(check.users.findByName('weak'), null);
    } finally {
      check.close();
    }
  } finally {
    fs.rmSync(data, { recursive: true, force: true });
  }
});
