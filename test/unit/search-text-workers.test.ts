/**
 * Candidate lists checked in worker threads answer exactly as the catalogue's own connection does,
 * and a worker that cannot work (its database gone) costs nothing but time: the list is checked on
 * the caller's thread and the failure reported.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createCatalogue, type Catalogue } from '../../src/catalogue/index.ts';
import { createSearchTextWorkers } from '../../src/catalogue/search-text-workers.ts';

let dir = '';
let catalogue: Catalogue;
const content = (text: string) => ({
  text, source: 'text-layer' as const, confidence: null, needsOcr: false, headline: null, dek: null, byline: null,
  captions: [], layout: null, imageWidth: null, imageHeight: null, hasImage: false,
});
const PLACES = ['石炭井', '大武口', '白芨沟', '汝箕沟', '呼鲁斯太'];
const keys: Array<{ documentId: string; number: number }> = [];

before(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wenshi-search-text-workers-'));
  catalogue = createCatalogue(dir);
  for (const [d, title] of ['石炭井印迹', '大武口区政协志', '三线建设'].entries()) {
    catalogue.documents.insert({
      id: `doc${d}`, sha256: String(d).repeat(64), originalName: `${d}.txt`, mediaType: 'text/plain', bytes: 1, collectionId: null,
      metadata: { title, date: String(1960 + d), type: '回忆录' }, published: true, ocrLanguages: 'auto',
    });
    const texts: Array<{ documentId: string; number: number; searchText: string }> = [];
    for (let n = 1; n <= 40; n++) {
      const text = `${PLACES[(n + d) % PLACES.length]}矿区第${n}页，${PLACES[(n * 3 + d) % PLACES.length]}的职工。`;
      catalogue.pages.save(`doc${d}`, n, content(text));
      keys.push({ documentId: `doc${d}`, number: n });
      // Every seventh page has no stored search text yet: it must come back for checking.
      if (n % 7 !== 0) texts.push({ documentId: `doc${d}`, number: n, searchText: text });
    }
    catalogue.pages.saveSearchTexts(texts);
  }
  // A candidate the catalogue does not know (a page deleted since the engine listed it).
  keys.splice(17, 0, { documentId: 'gone', number: 1 });
});
after(() => { catalogue.close(); fs.rmSync(dir, { recursive: true, force: true }); });

const QUERIES: Array<[string[], string[]]> = [[['石炭井'], []], [['矿区', '职工'], ['大武口']], [['呼鲁斯太'], ['石炭井']], [[], []], [['西夏'], []]];

test('worker threads give the same matches as the catalogue connection, in candidate order', async () => {
  const failures: Error[] = [];
  const workers = createSearchTextWorkers(catalogue.pages, { path: catalogue.db.name, threads: 2, minCandidates: 1, onFailure: (e) => failures.push(e) });
  try {
    for (const [include, exclude] of QUERIES) {
      const expected = catalogue.pages.filterBySearchText(keys, include, exclude);
      assert.deepEqual(await workers.filterBySearchText(keys, include, exclude), expected, `${include} -${exclude}`);
    }
    const all = catalogue.pages.filterBySearchText(keys, ['石炭井'], []);
    assert.ok(all.some((m) => !m.stored) && all.some((m) => m.stored), 'the candidates include pages with and without a stored text');
    assert.ok(!all.some((m) => keys[m.index]!.documentId === 'gone'), 'an unknown page never matches');
    // Closed, the workers start again at the next list.
    await workers.close();
    assert.deepEqual(await workers.filterBySearchText(keys, ['白芨沟'], []), catalogue.pages.filterBySearchText(keys, ['白芨沟'], []));
    assert.deepEqual(failures, [], 'every list was checked in the workers');
  } finally {
    await workers.close();
  }
});

test('a worker that cannot open the catalogue: the list is checked on the caller thread, the failure reported', async () => {
  const failures: Error[] = [];
  const workers = createSearchTextWorkers(catalogue.pages, {
    path: path.join(dir, 'missing', 'wenshi.db'), threads: 2, minCandidates: 1, onFailure: (e) => failures.push(e),
  });
  try {
    const expected = catalogue.pages.filterBySearchText(keys, ['矿区'], ['汝箕沟']);
    assert.ok(expected.length > 0);
    assert.deepEqual(await workers.filterBySearchText(keys, ['矿区'], ['汝箕沟']), expected);
    assert.equal(failures.length, 1);
    assert.match(failures[0]!.message, /search-text worker: .*database/);
  } finally {
    await workers.close();
  }
});

test('short lists stay on the caller thread', async () => {
  const failures: Error[] = [];
  const workers = createSearchTextWorkers(catalogue.pages, {
    path: path.join(dir, 'missing', 'wenshi.db'), threads: 2, minCandidates: keys.length + 1, onFailure: (e) => failures.push(e),
  });
  try {
    assert.deepEqual(await workers.filterBySearchText(keys, ['矿区'], []), catalogue.pages.filterBySearchText(keys, ['矿区'], []));
    assert.deepEqual(failures, [], 'no worker was asked');
  } finally {
    await workers.close();
  }
});
