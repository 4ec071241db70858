import assert from 'node:assert/strict';
import type { Express } from 'express';
import request from 'supertest';
import type { Archive } from '../../src/archive.ts';
import type { Role } from '../../src/catalogue/users.ts';

/** The `_csrf` value of the first form on a page. */
export function csrfFrom(html: string): string {
  const m = /name="_csrf" value="([^"]+)"/.exec(html);
  assert.ok(m, 'the page has a form with a CSRF token');
  return m[1]!;
}

export async function addStaff(archive: Archive, name: string, role: Role, password = `${name}-password`): Promise<{ name: string; password: string }> {
  if (!archive.catalogue.users.findByName(name)) await archive.catalogue.users.create(name, role, password);
  return { name, password };
}

/** A browser signed in through the login form: keeps its cookies, knows its session's CSRF token. */
export async function signIn(app: Express, who: { name: string; password: string }) {
  const agent = request.agent(app);
  const form = await agent.get('/login');
  assert.equal(form.status, 200);
  const login = await agent.post('/login').type('form').send({ _csrf: csrfFrom(form.text), name: who.name, password: who.password, next: '/staff' });
  assert.equal(login.status, 303, `login of ${who.name} failed: ${login.status}`);
  const home = await agent.get('/staff');
  assert.equal(home.status, 200);
  return { agent, csrf: csrfFrom(home.text) };
}

export function basicAuth(who: { name: string; password: string }): string {
  return `Basic ${Buffer.from(`${who.name}:${who.password}`, 'utf8').toString('base64')}`;
}

/** Polls the staff API until the job has finished (the worker runs it in the background). */
export async function waitForJob(app: Express, auth: string, jobId: string): Promise<{ status: string; error: string | null; documentId: string; pagesDone: number; pagesTotal: number; stage: string }> {
  for (let i = 0; i < 1200; i++) {
    const res = await request(app).get(`/api/jobs/${jobId}`).set('Authorization', auth);
    assert.equal(res.status, 200);
    if (res.body.status === 'done' || res.body.status === 'failed') return res.body;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`job ${jobId} did not finish`);
}
