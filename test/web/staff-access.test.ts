import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { createApp } from '../../src/web/app.ts';
import { LOGIN_ATTEMPTS, loadSessionSecret } from '../../src/web/auth.ts';
import { staffRouteTable } from '../../src/web/routes/staff.ts';
import { staffApiRouteTable } from '../../src/web/routes/staff-api.ts';
import { uploadTempDir } from '../../src/web/upload.ts';
import { createTestArchive, ingestBytes, type TestArchive } from '../support/harness.ts';
import { addStaff, basicAuth, csrfFrom, signIn } from '../support/staff-login.ts';

const editor = { name: 'editor-wang', password: 'editor-password' };
const admin = { name: 'admin-li', password: 'admin-password' };

// Top-level await: the tests below are generated from the router's own tables, which need the archive.
const t: TestArchive = await createTestArchive();
const app = createApp(t.archive, { log: () => {} });
let docId = '';

before(async () => {
  await addStaff(t.archive, editor.name, 'editor', editor.password);
  await addStaff(t.archive, admin.name, 'admin', admin.password);
  const ingested = await ingestBytes(t.archive, Buffer.from('石炭井矿区的草稿。', 'utf8'), 'draft.txt', { publish: false });
  docId = ingested.outcome.status === 'queued' ? ingested.outcome.documentId : '';
});
after(async () => { await t.close(); });

/** A concrete URL for a route pattern: parameters get plausible values (a real document, page 1). */
const concrete = (pattern: string) => pattern.replace(':id', docId).replace(':n', '1');

const routeDeps = { archive: t.archive, secret: loadSessionSecret(t.dataDir), worker: null };
const pageRoutes = staffRouteTable(routeDeps);
const apiRoutes = staffApiRouteTable(routeDeps);

test('the route tables list every staff page and staff API call', () => {
  assert.ok(pageRoutes.length >= 20);
  assert.ok(apiRoutes.length >= 5);
  assert.ok(pageRoutes.some((r) => r.path === '/staff/upload' && r.method === 'post'));
  assert.ok(apiRoutes.some((r) => r.path === '/documents' && r.method === 'post'));
});

describe('every staff page refuses anonymous users (one test per route)', () => {
  for (const route of pageRoutes) {
    test(`anonymous ${route.method.toUpperCase()} ${route.path} → login page, nothing done`, async () => {
      const auditBefore = t.archive.catalogue.audit.recent(1000).length;
      const res = await request(app)[route.method](concrete(route.path)).type('form').send({ _csrf: 'x', name: 'x', password: 'xxxxxxxxx', text: 'x', label: 'x' });
      assert.equal(res.status, 303);
      assert.match(res.headers.location ?? '', /^\/login/);
      assert.doesNotMatch(res.text, /staff-nav/);
      assert.equal(t.archive.catalogue.audit.recent(1000).length, auditBefore, 'no action was recorded');
    });
  }
});

describe('admin-only pages refuse editors', () => {
  for (const route of pageRoutes.filter((r) => r.role === 'admin')) {
    test(`editor ${route.method.toUpperCase()} ${route.path} → 403`, async () => {
      const { agent, csrf } = await signIn(app, editor);
      const res = await agent[route.method](concrete(route.path)).type('form').send({ _csrf: csrf });
      assert.equal(res.status, 403);
    });
  }
});

describe('every staff API call refuses anonymous users (one test per route)', () => {
  for (const route of apiRoutes) {
    test(`anonymous ${route.method.toUpperCase()} /api${route.path} → 401 JSON`, async () => {
      const res = await request(app)[route.method](`/api${concrete(route.path)}`);
      assert.equal(res.status, 401);
      assert.equal(res.body.error.code, 'unauthorized');
      assert.match(res.headers['www-authenticate'] ?? '', /^Bearer/, 'no Basic challenge, so browsers never cache a password');
    });
  }
});

test('a missing or wrong CSRF token is refused with 403 and changes nothing', async () => {
  const { agent, csrf } = await signIn(app, editor);
  const missing = await agent.post(`/staff/documents/${docId}/publish`).type('form').send({});
  assert.equal(missing.status, 403);
  assert.match(missing.text, /CSRF/);
  const wrong = await agent.post(`/staff/documents/${docId}/publish`).type('form').send({ _csrf: csrf.slice(0, -2) + 'xx' });
  assert.equal(wrong.status, 403);
  assert.equal(t.archive.catalogue.documents.get(docId)?.published, false);
  const other = await signIn(app, admin);
  const crossSession = await agent.post(`/staff/documents/${docId}/publish`).type('form').send({ _csrf: other.csrf });
  assert.equal(crossSession.status, 403, "another session's token does not count");
  // The session cookie on the JSON API needs the token too (in a header); Basic and Bearer do not.
  const apiNoToken = await agent.post(`/api/documents/${docId}/publish`);
  assert.equal(apiNoToken.status, 403);
  assert.equal(apiNoToken.body.error.code, 'csrf_failed');
  const apiToken = await agent.post(`/api/documents/${docId}/unpublish`).set('X-CSRF-Token', csrf);
  assert.equal(apiToken.status, 200);
  const logout = await agent.post('/logout').type('form').send({ _csrf: 'forged' });
  assert.equal(logout.status, 403);
});

test('a multipart upload without a CSRF token is refused and leaves no temporary file', async () => {
  const { agent } = await signIn(app, editor);
  const res = await agent.post('/staff/upload').attach('files', Buffer.from('伪造的上传', 'utf8'), 'forged.txt');
  assert.equal(res.status, 403);
  assert.deepEqual(fs.readdirSync(uploadTempDir(t.dataDir)), []);
  assert.equal(t.archive.catalogue.documents.listForStaff('all').some((d) => d.originalName === 'forged.txt'), false);
});

test('the login form has its own CSRF token, and login sets a signed httpOnly SameSite=Lax session cookie', async () => {
  const noToken = await request(app).post('/login').type('form').send({ name: editor.name, password: editor.password });
  assert.equal(noToken.status, 403);
  const agent = request.agent(app);
  const form = await agent.get('/login');
  const res = await agent.post('/login').type('form').send({ _csrf: csrfFrom(form.text), name: editor.name, password: editor.password, next: '//evil.example/x' });
  assert.equal(res.status, 303);
  assert.equal(res.headers.location, '/staff', 'no redirect to another site');
  const cookie = (res.headers['set-cookie'] as unknown as string[]).find((c) => c.startsWith('wenshi_session='))!;
  assert.match(cookie, /HttpOnly/);
  assert.match(cookie, /SameSite=Lax/);
  const value = decodeURIComponent(cookie.split(';')[0]!.split('=')[1]!);
  const tampered = value.slice(0, 5) + (value[5] === 'a' ? 'b' : 'a') + value.slice(6);
  assert.equal((await request(app).get('/staff').set('Cookie', `wenshi_session=${encodeURIComponent(value)}`)).status, 200);
  const forged = await request(app).get('/staff').set('Cookie', `wenshi_session=${encodeURIComponent(tampered)}`);
  assert.equal(forged.status, 303, 'a cookie whose signature does not match is ignored');
  const secretFile = path.join(t.dataDir, 'session-secret');
  assert.equal(fs.statSync(secretFile).mode & 0o777, 0o600);
  assert.equal(loadSessionSecret(t.dataDir).length, 32);
});

test('logout ends the session on the server, not only in the browser', async () => {
  const agent = request.agent(app);
  const form = await agent.get('/login');
  const login = await agent.post('/login').type('form').send({ _csrf: csrfFrom(form.text), name: editor.name, password: editor.password });
  const cookie = (login.headers['set-cookie'] as unknown as string[]).find((c) => c.startsWith('wenshi_session='))!.split(';')[0]!;
  const staffHome = await request(app).get('/staff').set('Cookie', cookie);
  assert.equal(staffHome.status, 200, 'the cookie alone signs in');
  const out = await agent.post('/logout').type('form').send({ _csrf: csrfFrom(staffHome.text) });
  assert.equal(out.status, 303);
  const replay = await request(app).get('/staff').set('Cookie', cookie);
  assert.equal(replay.status, 303, 'the same cookie no longer works');
});

test('HTTP Basic and Bearer tokens authenticate the API; wrong ones get 401; pages ignore them', async () => {
  const basic = await request(app).get(`/api/documents/${docId}`).set('Authorization', basicAuth(editor));
  assert.equal(basic.status, 200, 'staff see the unpublished document');
  const wrong = await request(app).get(`/api/documents/${docId}`).set('Authorization', basicAuth({ name: editor.name, password: 'wrong-password' }));
  assert.equal(wrong.status, 401);
  const { agent, csrf } = await signIn(app, editor);
  const created = await agent.post('/staff/account/tokens').type('form').send({ _csrf: csrf, label: 'scanner' });
  assert.equal(created.status, 201);
  const token = /<code class="new-token">(wst_[^<]+)<\/code>/.exec(created.text)![1]!;
  assert.doesNotMatch((await agent.get('/staff/account')).text, new RegExp(token), 'the token is shown only once');
  const bearer = await request(app).post(`/api/documents/${docId}/publish`).set('Authorization', `Bearer ${token}`);
  assert.equal(bearer.status, 200, 'Bearer calls need no CSRF token');
  assert.equal(bearer.body.published, true);
  await request(app).post(`/api/documents/${docId}/unpublish`).set('Authorization', `Bearer ${token}`).expect(200);
  const page = await request(app).get('/staff').set('Authorization', basicAuth(editor));
  assert.equal(page.status, 303, 'a Basic header does not sign a browser in to the pages');
  const tokenId = t.archive.catalogue.apiTokens.listForUser(t.archive.catalogue.users.findByName(editor.name)!.id)[0]!.id;
  await agent.post(`/staff/account/tokens/${tokenId}/revoke`).type('form').send({ _csrf: csrf }).expect(303);
  assert.equal((await request(app).get(`/api/jobs/x`).set('Authorization', `Bearer ${token}`)).status, 401);
});

test(`login attempts are rate-limited: after ${LOGIN_ATTEMPTS} failures even the right password gets 429`, async () => {
  const fresh = createApp(t.archive, { log: () => {} });
  const agent = request.agent(fresh);
  const token = csrfFrom((await agent.get('/login')).text);
  for (let i = 0; i < LOGIN_ATTEMPTS; i++) {
    const res = await agent.post('/login').type('form').send({ _csrf: token, name: editor.name, password: `guess-${i}-xx` });
    assert.equal(res.status, 401);
    assert.match(res.text, /用户名或密码错误/);
  }
  const blocked = await agent.post('/login').type('form').send({ _csrf: token, name: editor.name, password: editor.password });
  assert.equal(blocked.status, 429);
  const basic = await request(fresh).get(`/api/documents/${docId}`).set('Authorization', basicAuth(editor));
  assert.equal(basic.status, 429, 'Basic guessing shares the same budget');
  const failures = t.archive.catalogue.audit.recent(1000).filter((e) => e.action === 'login-failed' && e.actor === editor.name);
  assert.ok(failures.length >= LOGIN_ATTEMPTS, 'failed logins are in the audit log');
});

test('security headers: strict CSP without inline scripts, no framing by other sites', async () => {
  const res = await request(app).get('/login');
  const csp = res.headers['content-security-policy'] ?? '';
  assert.match(csp, /script-src 'self'/);
  assert.doesNotMatch(csp, /unsafe-inline/);
  assert.match(csp, /form-action 'self'/);
  assert.equal(res.headers['x-content-type-options'], 'nosniff');
  assert.equal(res.headers['x-frame-options'], 'SAMEORIGIN');
  assert.doesNotMatch(res.text, /<script>|<script [^>]*>[^<]/, 'no inline script on the login page');
});
