/**
 * Graceful shutdown of a real server process: SIGTERM in the middle of the OCR of a 20-page scan lets
 * a request in flight finish, stops the job between pages, stops the embedded Meilisearch and exits
 * with status 0 (the server exits with 1 if it needs more than 10 s). The next start finishes the job,
 * each page recognised once.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { createCatalogue } from '../../src/catalogue/index.ts';
import { ownerIsAlive } from '../../ingest/job-runner.ts';
import { isProcessAlive } from '../../src/search/embedded-meilisearch.ts';
import { FIXTURES } from '../support/harness.ts';
import { multipartBody } from '../support/bad-input-cases.ts';
import { sleep, startServer, type ServerProcess } from '../support/server-process.ts';

const admin = { name: 'shutdown-admin', password: 'shutdown-admin-password' };
const basic = `Basic ${Buffer.from(`${admin.name}:${admin.password}`).toString('base64')}`;
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wenshi-shutdown-'));
const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir, DEMO: '0', ADMIN_USER: admin.name, ADMIN_PASSWORD: admin.password };
delete env.MEILI_URL;
delete env.MEILI_MASTER_KEY;
after(() => fs.rmSync(dataDir, { recursive: true, force: true }));

async function job(server: ServerProcess, id: string): Promise<{ status: string; stage: string; pagesDone: number; documentId: string; error: string | null }> {
  const res = await fetch(`${server.url}/api/jobs/${id}`, { headers: { Authorization: basic } }).catch((error: unknown) => {
    throw new Error(`${String(error)} ${String((error as Error).cause)}; server ${server.alive() ? 'alive' : 'gone'}: ${server.stderr()}`);
  });
  assert.equal(res.status, 200);
  return (await res.json()) as { status: string; stage: string; pagesDone: number; documentId: string; error: string | null };
}

/** Sends the head of an upload now and its tail later: a request that is in flight while the server is told to stop. */
function slowUpload(server: ServerProcess, bytes: Buffer, name: string) {
  const body = multipartBody([{ name: 'files', filename: Buffer.from(name), data: bytes }]);
  const cut = Math.floor(body.bytes.length / 2);
  let answer: Promise<{ status: number; body: string }> = Promise.resolve({ status: 0, body: '' });
  const req = http.request(`${server.url}/api/documents`, {
    method: 'POST', headers: { Authorization: basic, 'Content-Type': body.type, 'Content-Length': body.bytes.length },
  });
  answer = new Promise((resolve, reject) => {
    req.on('response', (res) => {
      let text = '';
      res.on('data', (d: Buffer) => { text += d.toString(); });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on('error', reject);
  });
  req.write(body.bytes.subarray(0, cut));
  return { finish: () => req.end(body.bytes.subarray(cut)), answer };
}

test('SIGTERM during OCR: the request in flight finishes, the job stops between pages, exit status 0; the next start finishes the job, each page once', async () => {
  let server = await startServer(env);
  const meiliPid = (JSON.parse(fs.readFileSync(path.join(dataDir, 'meili', 'instance.json'), 'utf8')) as { pid: number }).pid;
  const scan = fs.readFileSync(path.join(FIXTURES, 'scans', 'pdf-scan-20-pages.pdf'));
  const body = multipartBody([{ name: 'lang', value: 'chi_sim' }, { name: 'publish', value: '1' }, { name: 'files', filename: Buffer.from('pdf-scan-20-pages.pdf'), data: scan }]);
  const upload = await fetch(`${server.url}/api/documents`, { method: 'POST', headers: { Authorization: basic, 'Content-Type': body.type }, body: new Uint8Array(body.bytes) });
  assert.equal(upload.status, 202);
  const jobId = ((await upload.json()) as { jobs: Array<{ id: string }> }).jobs[0]!.id;

  let before = await job(server, jobId);
  for (let i = 0; i < 3000 && !(before.stage === 'ocr' && before.pagesDone >= 2); i++) {
    await sleep(100);
    before = await job(server, jobId);
  }
  assert.equal(before.stage, 'ocr', `OCR is running: ${JSON.stringify(before)}`);

  const inFlight = slowUpload(server, Buffer.from('关机时仍在上传的文件：石炭井矿区的最后一份记录。', 'utf8'), 'in-flight.txt');
  await sleep(200);
  server.child.kill('SIGTERM');
  await sleep(300);
  inFlight.finish();
  const answered = await inFlight.answer;
  assert.equal(answered.status, 202, `the request in flight was answered: ${answered.body}`);
  const exit = await server.exited;
  assert.deepEqual(exit, { code: 0, signal: null }, `exited cleanly within 10 s: ${server.stderr()}`);
  assert.equal(isProcessAlive(meiliPid), false, 'Meilisearch was stopped');

  const catalogue = createCatalogue(dataDir);
  const recognised = () => catalogue.audit.recent(10_000).filter((e) => e.action === 'ocr-page' && e.target.startsWith(`${before.documentId}/`));
  try {
    const left = catalogue.jobs.get(jobId)!;
    // Stopped between pages it is back in the queue; cut in a stage that could not stop in time, it is
    // still claimed, by an owner that is gone, and the next start queues it again. Resumable either way.
    assert.ok(left.status === 'queued' || (left.status === 'running' && left.owner !== null && !ownerIsAlive(left.owner)),
      `the job is resumable: ${JSON.stringify(left)}`);
    assert.ok(left.pagesDone >= 2 && left.pagesDone < 20, `stopped between pages (${left.pagesDone} done)`);
    assert.equal(recognised().length, catalogue.pages.listForDocument(before.documentId).filter((p) => !p.needsOcr).length,
      'every page recognised so far is stored; none half-way');
    const uploaded = catalogue.jobs.list(10).find((j) => j.fileName === 'in-flight.txt');
    assert.equal(uploaded?.status, 'queued', 'the upload that was in flight is kept, waiting for the next start');
  } finally {
    catalogue.close();
  }

  server = await startServer(env);
  try {
    let done = await job(server, jobId);
    for (let i = 0; i < 6000 && done.status !== 'done' && done.status !== 'failed'; i++) {
      await sleep(100);
      done = await job(server, jobId);
    }
    assert.equal(done.status, 'done', done.error ?? '');
    assert.equal(done.pagesDone, 20);
    const check = createCatalogue(dataDir);
    try {
      const perPage = new Map<string, number>();
      for (const e of check.audit.recent(10_000)) {
        if (e.action === 'ocr-page' && e.target.startsWith(`${done.documentId}/`)) perPage.set(e.target, (perPage.get(e.target) ?? 0) + 1);
      }
      assert.equal(perPage.size, 20, 'every page recognised');
      assert.ok([...perPage.values()].every((n) => n === 1), `no page recognised twice: ${JSON.stringify([...perPage])}`);
    } finally {
      check.close();
    }
    const search = await fetch(`${server.url}/api/documents/${done.documentId}`);
    assert.equal(((await search.json()) as { pages: number }).pages, 20);
  } finally {
    await server.stop();
  }
});
