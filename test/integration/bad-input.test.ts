/**
 * Every file of fixtures/invalid, and the generated cases (too large, hostile names, one file twice),
 * through the three entry points — the staff API and the upload form of a real server process, and the
 * ingest CLI — with the one-line error each must give. The server must answer throughout; afterwards
 * nothing partial is left in catalogue, originals or index.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import iconv from 'iconv-lite';
import request from 'supertest';
import { createCatalogue, type Catalogue } from '../../src/catalogue/index.ts';
import { createSearchEngine, type SearchEngine } from '../../src/search/meili-client.ts';
import { createOriginalStore, sha256Of } from '../../src/storage/originals.ts';
import { FIXTURES, REPO_ROOT, testMeilisearch } from '../support/harness.ts';
import { sleep, startServer, type ServerProcess } from '../support/server-process.ts';
import { BAD_INPUT, multipartBody, type BadInput, type MultipartPart } from '../support/bad-input-cases.ts';

const admin = { name: 'bad-input-admin', password: 'bad-input-admin-password' };
const basic = `Basic ${Buffer.from(`${admin.name}:${admin.password}`).toString('base64')}`;
const read = (name: string) => fs.readFileSync(path.join(FIXTURES, 'invalid', name));

let server: ServerProcess;
let serverDir = '';
let cliDir = '';
let env: NodeJS.ProcessEnv = {};
let catalogue: Catalogue;
let engine: SearchEngine;
const health = { polls: 0, failures: [] as string[] };
let polling = true;
let poller: Promise<void> = Promise.resolve();

before(async () => {
  const meili = await testMeilisearch();
  serverDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wenshi-bad-'));
  cliDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wenshi-bad-cli-'));
  env = {
    ...process.env, MEILI_URL: meili.url, MEILI_MASTER_KEY: meili.apiKey, DEMO: '0', MAX_FILE_MB: '1',
    ADMIN_USER: admin.name, ADMIN_PASSWORD: admin.password,
  };
  const prefix = `bad${randomBytes(3).toString('hex')}_`;
  server = await startServer({ ...env, DATA_DIR: serverDir, MEILI_INDEX_PREFIX: prefix });
  catalogue = createCatalogue(serverDir);
  engine = createSearchEngine(meili.url, meili.apiKey, prefix);
  // The server must stay up and answer while bad files are processed: poll it the whole time.
  poller = (async () => {
    while (polling) {
      health.polls++;
      try {
        const res = await fetch(`${server.url}/healthz`, { signal: AbortSignal.timeout(10_000) });
        if (res.status !== 200) health.failures.push(`healthz ${res.status}`);
      } catch (error) {
        health.failures.push(`healthz at ${new Date().toISOString()}: ${(error as Error).message} ${String((error as Error).cause ?? "")}`);
      }
      await sleep(200);
    }
  })();
});

after(async () => {
  polling = false;
  await poller;
  await server.stop();
  await engine.dropAllIndexes().catch(() => {});
  catalogue.close();
  const cliEngine = createSearchEngine(String(env.MEILI_URL), String(env.MEILI_MASTER_KEY), 'badcli_');
  await cliEngine.dropAllIndexes().catch(() => {});
  fs.rmSync(serverDir, { recursive: true, force: true });
  fs.rmSync(cliDir, { recursive: true, force: true });
  if (!process.env.TEST_MEILI_URL) await (await testMeilisearch()).stop?.();
});

/**
 * The ingest CLI on the CLI's own data dir, run asynchronously: a synchronous spawn would stall this
 * process and with it the health poller.
 */
function ingest(args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'ingest/cli.ts', ...args], {
    cwd: REPO_ROOT, env: { ...env, DATA_DIR: cliDir, MEILI_INDEX_PREFIX: 'badcli_' },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
  child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
  return new Promise((resolve) => child.on('close', (status) => resolve({ status, stdout, stderr })));
}

async function waitForJob(id: string): Promise<{ status: string; error: string | null; documentId: string }> {
  for (let i = 0; i < 1200; i++) {
    const res = await request(server.url).get(`/api/jobs/${id}`).set('Authorization', basic);
    assert.equal(res.status, 200);
    if (res.body.status === 'done' || res.body.status === 'failed') return res.body;
    await sleep(100);
  }
  throw new Error(`job ${id} did not finish`);
}

function assertOneLine(error: string | null | undefined, c: BadInput, where: string): void {
  assert.ok(error, `${where} ${c.file}: an error is given`);
  assert.doesNotMatch(error, /\n/, `${where} ${c.file}: the error is one line`);
  assert.match(error, c.error!, `${where} ${c.file}: ${error}`);
}

test('the table covers every file of fixtures/invalid, and the README describes each', () => {
  const files = fs.readdirSync(path.join(FIXTURES, 'invalid')).filter((f) => f !== 'README.md').sort();
  assert.ok(files.length >= 15);
  assert.deepEqual(BAD_INPUT.map((c) => c.file).sort(), files);
  const readme = fs.readFileSync(path.join(FIXTURES, 'invalid', 'README.md'), 'utf8');
  for (const f of files) assert.ok(readme.includes(`\`${f}\``), `README.md describes ${f}`);
});

test('staff API: each bad file gets its own clear error, as a refusal or as a failed job', async () => {
  for (const c of BAD_INPUT) {
    const res = await request(server.url).post('/api/documents').set('Authorization', basic).attach('files', read(c.file), c.file);
    assert.equal(res.status, 202, `${c.file}: ${res.text}`);
    const [entry] = res.body.jobs;
    if (c.outcome === 'rejected') {
      assert.equal(entry.status, 'rejected', c.file);
      assert.equal(entry.documentId, null);
      assertOneLine(entry.error, c, 'API');
      continue;
    }
    assert.equal(entry.status, 'queued', c.file);
    const job = await waitForJob(entry.id);
    if (c.outcome === 'imported') {
      assert.equal(job.status, 'done', `${c.file}: ${job.error}`);
    } else {
      assert.equal(job.status, 'failed', c.file);
      assertOneLine(job.error, c, 'API');
    }
  }
});

test('upload form: all bad files in one upload; refusals on the result page, failures on the jobs page', async () => {
  const agent = request.agent(server.url);
  const login = await agent.get('/login');
  const csrfOf = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';
  await agent.post('/login').type('form').send({ _csrf: csrfOf(login.text), name: admin.name, password: admin.password, next: '/staff' }).expect(303);
  const csrf = csrfOf((await agent.get('/staff/upload').expect(200)).text);
  let post = agent.post('/staff/upload').field('_csrf', csrf);
  for (const c of BAD_INPUT) post = post.attach('files', read(c.file), c.file);
  const result = await post;
  assert.equal(result.status, 200, result.text.slice(0, 500));
  const rows = [...result.text.matchAll(/<tr class="outcome-(\w+)">\s*<td class="file-name">([^<]*)<\/td>([\s\S]*?)<\/tr>/g)];
  assert.equal(rows.length, BAD_INPUT.length);
  const jobIds = new Map<string, string>();
  for (const c of BAD_INPUT) {
    const row = rows.find((r) => r[2] === c.file);
    assert.ok(row, `the result page lists ${c.file}`);
    if (c.outcome === 'rejected') {
      assert.equal(row[1], 'rejected', c.file);
      assertOneLine(/class="error-message">([^<]*)</.exec(row[3]!)?.[1], c, 'form');
    } else if (c.outcome === 'failed') {
      // The same bytes failed before (through the API): the upload queues them again.
      assert.equal(row[1], 'queued', c.file);
      jobIds.set(c.file, /#job-([0-9a-f-]+)/.exec(row[3]!)![1]!);
    } else {
      assert.equal(row[1], 'duplicate', `${c.file} was imported through the API already`);
    }
  }
  for (const id of jobIds.values()) await waitForJob(id);
  const jobsPage = (await agent.get('/staff/jobs').expect(200)).text;
  for (const [file, id] of jobIds) {
    const c = BAD_INPUT.find((x) => x.file === file)!;
    const row = new RegExp(`<tr id="job-${id}"[^>]*data-status="failed"[\\s\\S]*?<td class="job-error">([^<]*)</td>`).exec(jobsPage);
    assert.ok(row, `the jobs page shows ${file} as failed`);
    assertOneLine(row[1], c, 'jobs page');
  }
});

test('ingest CLI: one JSON line per bad file with its error; exit status 1; good files still import', async () => {
  const r = await ingest(['--json', ...BAD_INPUT.map((c) => path.join(FIXTURES, 'invalid', c.file))]);
  assert.equal(r.status, 1, r.stderr);
  const reports = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { file: string; status: string; error?: string });
  assert.equal(reports.length, BAD_INPUT.length);
  for (const c of BAD_INPUT) {
    const report = reports.find((x) => path.basename(x.file) === c.file)!;
    if (c.outcome === 'imported') {
      assert.equal(report.status, 'imported', `${c.file}: ${report.error}`);
    } else {
      assert.equal(report.status, 'failed', c.file);
      assertOneLine(report.error, c, 'CLI');
    }
  }
});

test('a file over the size limit: 413 from API and form, a one-line refusal from the CLI; no temporary file is left', async () => {
  const big = Buffer.from('石炭井矿区大事记。'.repeat(50_000), 'utf8'); // 1.35 MB of good text, over MAX_FILE_MB=1
  const api = await request(server.url).post('/api/documents').set('Authorization', basic).attach('files', big, 'big.txt');
  assert.equal(api.status, 413);
  assert.equal(api.body.error.code, 'file_too_large');
  assert.match(api.body.error.message, /file too large/);
  const bigFile = path.join(cliDir, 'big-transcription.txt');
  fs.writeFileSync(bigFile, big);
  const r = await ingest(['--json', bigFile]);
  assert.equal(r.status, 1);
  const report = JSON.parse(r.stdout.trim()) as { status: string; error: string };
  assert.equal(report.status, 'failed');
  assert.match(report.error, /^the file is 1\.3 MB, larger than the limit of 1 MB \(MAX_FILE_MB\)$/);
  assert.deepEqual(fs.readdirSync(path.join(serverDir, 'upload-tmp')), [], 'the partial upload was removed');
  assert.equal(catalogue.documents.findBySha256(sha256Of(big)), null);
});

test('hostile file names are only labels: ../, NUL, 300 characters and GBK bytes import under a clean name', async () => {
  const text = (i: number) => Buffer.from(`文史资料 名称测试 ${i}：贺兰山下的石炭井。`, 'utf8');
  const cases: Array<{ part: MultipartPart; expect: (name: string, title: string) => void }> = [
    { part: { name: 'files', filename: Buffer.from('../../etc/passwd.txt'), data: text(1) }, expect: (n) => assert.equal(n, 'passwd.txt') },
    {
      // A NUL can only arrive percent-encoded (RFC 5987); raw in a header the parser refuses the upload (below).
      part: { name: 'files', filenameStar: encodeURIComponent('石炭井\u0000旧事.txt'), data: text(2) },
      expect: (n, title) => { assert.equal(n, '石炭井旧事.txt'); assert.equal(title, '石炭井旧事'); },
    },
    { part: { name: 'files', filename: Buffer.from(`${'石'.repeat(296)}.txt`), data: text(3) }, expect: (n) => assert.ok(n.length <= 200 && n.startsWith('石石石'), n) },
    {
      part: { name: 'files', filename: iconv.encode('大武口老街.txt', 'gbk'), data: text(4) },
      expect: (n, title) => { assert.equal(n, '大武口老街.txt'); assert.equal(title, '大武口老街'); },
    },
  ];
  const body = multipartBody(cases.map((c) => c.part));
  const res = await request(server.url).post('/api/documents').set('Authorization', basic).set('Content-Type', body.type).send(body.bytes);
  assert.equal(res.status, 202, `${res.text} ${server.stderr()}`);
  assert.equal(res.body.jobs.length, cases.length);
  for (const [i, entry] of (res.body.jobs as Array<{ id: string; status: string; documentId: string }>).entries()) {
    assert.equal(entry.status, 'queued');
    assert.equal((await waitForJob(entry.id)).status, 'done');
    const doc = catalogue.documents.get(entry.documentId)!;
    assert.doesNotMatch(doc.originalName, /[/\\\u0000]/);
    cases[i]!.expect(doc.originalName, doc.metadata.title);
    assert.equal(sha256Of(fs.readFileSync(createOriginalStore(serverDir).pathOf(doc.sha256))), doc.sha256);
  }
  const raw = multipartBody([{ name: 'files', filename: Buffer.from('a\u0000b.txt'), data: text(5) }]);
  const refused = await request(server.url).post('/api/documents').set('Authorization', basic).set('Content-Type', raw.type).send(raw.bytes);
  assert.equal(refused.status, 400);
  assert.equal(refused.body.error.code, 'malformed_upload');
  assert.match(refused.body.error.message, /malformed multipart upload: Malformed part header/);
  // The CLI: a GBK-named file inside a folder, and a path that climbs with ../
  const folder = fs.mkdtempSync(path.join(cliDir, 'names-'));
  fs.writeFileSync(Buffer.concat([Buffer.from(folder + path.sep), iconv.encode('石嘴山旧照.txt', 'gbk')]), '石嘴山的旧照片，记录了矿区的岁月。');
  fs.mkdirSync(path.join(folder, 'sub'));
  fs.writeFileSync(path.join(folder, 'up.txt'), '大武口的老街，一九五八年秋。');
  const r = await ingest(['--json', folder, path.join(folder, 'sub', '..', 'up.txt')]);
  const reports = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { file: string; status: string; documentId: string });
  assert.deepEqual(reports.map((x) => [path.basename(x.file), x.status]), [['up.txt', 'imported'], ['石嘴山旧照.txt', 'imported'], ['up.txt', 'duplicate']]);
  const cli = createCatalogue(cliDir);
  try {
    assert.equal(cli.documents.get(reports[1]!.documentId)!.metadata.title, '石嘴山旧照');
  } finally {
    cli.close();
  }
});

test('the same file twice in one upload: the second is a duplicate of the first', async () => {
  const bytes = Buffer.from('同一份文件上传两次：石炭井工人俱乐部。', 'utf8');
  const res = await request(server.url).post('/api/documents').set('Authorization', basic)
    .attach('files', bytes, 'first.txt').attach('files', bytes, 'second.txt');
  assert.equal(res.status, 202);
  const [first, second] = res.body.jobs;
  assert.equal(first.status, 'queued');
  assert.equal(second.status, 'duplicate');
  assert.equal(second.documentId, first.documentId);
  assert.equal((await waitForJob(first.id)).status, 'done');
});

test('afterwards: the server answered throughout; nothing partial is left; no script or program ran', async () => {
  polling = false;
  await poller;
  assert.ok(server.alive(), 'the server is still running');
  assert.ok(health.polls > 10, `polled ${health.polls} times`);
  assert.deepEqual(health.failures, [], `every health check during the run answered 200 ${server.stderr()}`);
  assert.equal((await fetch(`${server.url}/search?q=石炭井`)).status, 200);

  const originals = createOriginalStore(serverDir);
  const audit = catalogue.audit.recent(10_000);
  for (const c of BAD_INPUT) {
    const sha = sha256Of(read(c.file));
    const doc = catalogue.documents.findBySha256(sha);
    if (c.outcome === 'rejected') {
      assert.equal(doc, null, `${c.file}: no document`);
      assert.equal(originals.exists(sha), false, `${c.file}: no original kept`);
      assert.ok(audit.some((e) => e.action === 'upload-rejected' && e.target === c.file), `${c.file}: the refusal is in the audit log`);
      continue;
    }
    assert.ok(doc, `${c.file}: a document`);
    assert.equal(sha256Of(fs.readFileSync(originals.pathOf(sha))), sha, `${c.file}: the original is kept intact`);
    const indexed = await engine.searchPages({ q: '', filter: [`documentId = ${JSON.stringify(doc.id)}`], facets: [], offset: 0, limit: 1 });
    if (c.outcome === 'failed') {
      assert.equal(doc.status, 'failed', c.file);
      assert.equal(indexed.total, 0, `${c.file}: no page of a failed document is searchable`);
    } else {
      assert.equal(doc.status, 'ready');
      assert.equal(indexed.total, doc.pageCount);
    }
  }
  assert.equal(catalogue.jobs.countActive(), 0);

  const scripted = catalogue.documents.findBySha256(sha256Of(read('javascript-launch.pdf')))!;
  const [page] = catalogue.pages.listForDocument(scripted.id);
  assert.match(page!.text, /请各位委员于本月底前提交回忆文章和老照片/, 'the text was imported');
  assert.doesNotMatch(page!.text, /app\.alert|launchURL|脚本已执行|cmd\.exe/, 'the scripts are not part of the text');
  for (const dir of [REPO_ROOT, serverDir, cliDir, os.tmpdir()]) {
    assert.equal(fs.existsSync(path.join(dir, 'wenshi-launch-marker.txt')), false, 'the launch action never ran');
  }
});
