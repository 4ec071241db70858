import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { loadConfig } from '../../src/config.ts';
import { openArchive, type Archive } from '../../src/archive.ts';
import { FIXTURES, REPO_ROOT, testMeilisearch } from '../support/harness.ts';

let dataDir = '';
let env: NodeJS.ProcessEnv = {};

function ingest(...args: string[]) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'ingest/cli.ts', ...args], { cwd: REPO_ROOT, env, encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, lines: r.stdout.trim().split('\n').filter(Boolean) };
}

async function withArchive<T>(work: (archive: Archive) => Promise<T>): Promise<T> {
  const archive = await openArchive(loadConfig(env));
  try { return await work(archive); } finally { await archive.close(); }
}

before(async () => {
  const meili = await testMeilisearch();
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wenshi-cli-'));
  env = {
    ...process.env, DATA_DIR: dataDir, MEILI_URL: meili.url, MEILI_MASTER_KEY: meili.apiKey, DEMO: '0',
    MEILI_INDEX_PREFIX: `cli${randomBytes(3).toString('hex')}_`,
  };
});
after(async () => {
  await withArchive((a) => a.engine.dropAllIndexes()).catch(() => {});
  fs.rmSync(dataDir, { recursive: true, force: true });
  if (!process.env.TEST_MEILI_URL) await (await testMeilisearch()).stop?.();
});

test('--json prints exactly one JSON line per file, and the imported text is searchable when it returns', async () => {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'wenshi-cli-in-'));
  fs.copyFileSync(path.join(FIXTURES, 'text', 'transcription-gb18030.txt'), path.join(folder, 'a.txt'));
  fs.mkdirSync(path.join(folder, 'sub'));
  fs.copyFileSync(path.join(FIXTURES, 'pdf', 'gbk-euc-h-nonembedded.pdf'), path.join(folder, 'sub', 'b.pdf'));
  const r = ingest('--json', '--publish', '--collection', 'cli-test', folder);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.lines.length, 2, `stdout: ${r.stdout}`);
  const reports = r.lines.map((l) => JSON.parse(l) as { file: string; status: string; documentId: string; pages: number });
  assert.deepEqual(reports.map((x) => x.status), ['imported', 'imported']);
  assert.deepEqual(reports.map((x) => path.relative(folder, x.file)), ['a.txt', path.join('sub', 'b.pdf')]);
  assert.ok(reports.every((x) => x.pages >= 1 && /^[0-9a-f]{12}$/.test(x.documentId)));

  const total = await withArchive(async (archive) => {
    const res = await archive.search.searchPages({ q: '石炭井', page: 1, size: 20, sort: 'relevance', includeUnpublished: false });
    return res.hits.filter((h) => h.documentId === reports[0]!.documentId).length;
  });
  assert.equal(total, 1, 'the GB18030 transcription is published and searchable right after the command returns');
  fs.rmSync(folder, { recursive: true, force: true });
});

test('the same file again is reported as a duplicate with the existing id; exit status 0', () => {
  const file = path.join(FIXTURES, 'text', 'transcription-gb18030.txt');
  const first = ingest('--json', file);
  const again = ingest('--json', file);
  assert.equal(again.status, 0);
  const a = JSON.parse(first.lines[0]!) as { documentId: string };
  const b = JSON.parse(again.lines[0]!) as { status: string; documentId: string };
  assert.equal(b.status, 'duplicate');
  assert.equal(b.documentId, a.documentId);
});

test('bad files fail with a one-line reason and exit status 1, good files beside them still import', () => {
  const r = ingest('--json', path.join(FIXTURES, 'invalid', 'text-renamed.pdf'), path.join(FIXTURES, 'invalid', 'zip-archive.zip'),
    path.join(FIXTURES, 'invalid', 'truncated.pdf'), path.join(FIXTURES, 'invalid', 'empty.pdf'), '/no/such/file.pdf',
    path.join(FIXTURES, 'text', 'transcription-utf16le-bom.txt'));
  assert.equal(r.status, 1);
  const reports = r.lines.map((l) => JSON.parse(l) as { file: string; status: string; error?: string });
  assert.equal(reports.length, 6);
  const byName = Object.fromEntries(reports.map((x) => [path.basename(x.file), x]));
  assert.equal(byName['zip-archive.zip']!.status, 'failed');
  assert.match(byName['zip-archive.zip']!.error ?? '', /ZIP/);
  assert.equal(byName['empty.pdf']!.status, 'failed');
  assert.match(byName['empty.pdf']!.error ?? '', /empty/);
  assert.equal(byName['truncated.pdf']!.status, 'failed');
  assert.match(byName['truncated.pdf']!.error ?? '', /PDF/);
  assert.equal(byName['file.pdf']!.status, 'failed');
  assert.match(byName['file.pdf']!.error ?? '', /no such file/);
  assert.equal(byName['transcription-utf16le-bom.txt']!.status, 'imported');
  // text-renamed.pdf is plain text under a .pdf name: a name promising a PDF with bytes that are only text
  // is a broken download far more often than a transcription, so it is refused (see fixtures/invalid).
  assert.equal(byName['text-renamed.pdf']!.status, 'failed');
  assert.match(byName['text-renamed.pdf']!.error ?? '', /named \.pdf but holds plain text/);
  for (const x of reports) if (x.error) assert.doesNotMatch(x.error, /\n/);
});

test('an unknown --lang is refused before anything is imported', () => {
  const r = ingest('--lang', 'klingon', path.join(FIXTURES, 'text', 'transcription-utf8.txt'));
  assert.equal(r.status, 2);
  assert.match(r.stderr, /unknown OCR language/);
});
