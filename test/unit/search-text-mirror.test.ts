/**
 * The search texts held in memory (search-text-mirror.ts) must answer exactly as SQLite does, also
 * after another connection (the job process, the ingest CLI) changed, corrected or deleted pages.
 */
import { afterEach, beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { createCatalogue, type Catalogue } from '../../src/catalogue/index.ts';
import { createSearchTextMirror, type SearchTextMirror } from '../../src/catalogue/search-text-mirror.ts';
import { catalogueWithOneDocument, pageContent as content } from '../support/catalogue.ts';

let catalogue: Catalogue;
let other: Catalogue;
let remove = () => {};
let mirror: SearchTextMirror;
const notices: string[] = [];

const key = (number: number) => ({ documentId: 'd1', number });
const TEXTS = ['石炭井矿区', '大武口区政协', '贺兰山下', '三线建设者'];

function storePages(on: Catalogue, texts: string[]): void {
  texts.forEach((text, i) => on.pages.save('d1', i + 1, content(text)));
  on.pages.saveSearchTexts(texts.map((searchText, i) => ({ documentId: 'd1', number: i + 1, searchText })));
}

/** The positions of `candidates` that pass, as the mirror answers (held and passing, in order). */
function passing(candidates: Array<{ documentId: string; number: number }>, include: string[], exclude: string[] = []): number[] | null {
  const answer = mirror.filter(candidates, include, exclude);
  return answer === null ? null : [...answer.hits.indices];
}

beforeEach(async () => {
  let dir: string;
  ({ catalogue, remove, dir } = catalogueWithOneDocument('search-text-mirror'));
  other = createCatalogue(dir);
  storePages(catalogue, TEXTS);
  notices.length = 0;
  mirror = createSearchTextMirror(catalogue.db, { budgetBytes: 1 << 20, chunkRows: 2, maxChangesApplied: 3, onNotice: (m) => notices.push(m) });
  assert.equal(mirror.textsOf([key(1)]), null, 'not held before it is loaded: callers read SQLite');
  await mirror.load();
});
afterEach(() => {
  mirror.close();
  other.close();
  remove();
});

test('holds every stored text with its headline, loaded a chunk at a time', () => {
  assert.deepEqual(mirror.stats(), { ready: true, pages: 4, bytes: mirror.stats().bytes, givenUp: false });
  const texts = mirror.textsOf([key(1), key(2), key(9)])!;
  assert.deepEqual([...texts.keys()], ['d1:1', 'd1:2']);
  assert.equal(texts.get('d1:2')?.searchText, '大武口区政协');
  assert.equal(texts.get('d1:2')?.headline, null);
});

test('checks candidates as SQLite does; pages without a stored text are handed back', () => {
  catalogue.pages.save('d1', 5, content('没有存下的文字'));
  const candidates = [key(2), key(1), key(5), key(3), key(99)];
  assert.deepEqual(passing(candidates, ['区']), [0, 1]);
  assert.deepEqual(passing(candidates, ['区'], ['政协']), [1]);
  assert.deepEqual(passing(candidates, []), [0, 1, 3], 'no terms: every held candidate');
  assert.deepEqual(mirror.filter(candidates, ['区'], [])?.unheld, [2, 4]);
  const sqlite = catalogue.pages.filterBySearchText(candidates, ['区'], ['政协']).filter((m) => m.stored).map((m) => m.index);
  assert.deepEqual(passing(candidates, ['区'], ['政协']), sqlite);
});

test('follows what another connection writes, corrects and deletes', async () => {
  other.pages.saveSearchTexts([{ documentId: 'd1', number: 3, searchText: '贺兰山下的矿区' }]);
  assert.deepEqual(passing([key(3)], ['矿区']), [0], 'a rewritten text');
  other.corrections.save('d1', 1, '石炭井矿务局', 'editor');
  assert.equal(mirror.textsOf([key(1)])!.has('d1:1'), false, 'a correction clears the stored text: no longer held');
  assert.deepEqual(mirror.filter([key(1)], ['矿区'], [])?.unheld, [0]);
  other.pages.save('d1', 6, content('新页'));
  other.pages.saveSearchTexts([{ documentId: 'd1', number: 6, searchText: '新页' }]);
  assert.deepEqual(passing([key(6)], ['新页']), [0], 'a new page');
  other.documents.delete('d1');
  assert.equal(mirror.textsOf([key(2)]), null, 'four pages deleted, three re-read at most: reloads');
  await mirror.load();
  assert.deepEqual(mirror.textsOf([key(2), key(3), key(6)]), new Map(), 'a deleted document takes its texts with it');
  assert.equal(mirror.stats().pages, 0);
});

test('its own connection\'s writes count too', () => {
  catalogue.pages.saveSearchTexts([{ documentId: 'd1', number: 4, searchText: '三线建设者的后代' }]);
  assert.deepEqual(passing([key(4)], ['后代']), [0]);
});

test('more changes than it re-reads at once: not held until reloaded, then current', async () => {
  other.pages.saveSearchTexts(TEXTS.map((t, i) => ({ documentId: 'd1', number: i + 1, searchText: `${t}（修订）` })));
  assert.equal(mirror.textsOf([key(1)]), null, 'four changed pages, three re-read at most: reloads');
  await mirror.load();
  assert.equal(mirror.textsOf([key(1)])?.get('d1:1')?.searchText, '石炭井矿区（修订）');
});

test('a reader that fell behind the kept log reloads everything', async () => {
  other.pages.saveSearchTexts([{ documentId: 'd1', number: 2, searchText: '大武口' }]);
  // What the log's own trigger does after 100,000 later writes: the entries this reader has not seen are gone.
  other.db.prepare('DELETE FROM search_text_changes').run();
  other.pages.saveSearchTexts([{ documentId: 'd1', number: 3, searchText: '贺兰山' }]);
  assert.equal(mirror.textsOf([key(2)]), null);
  await mirror.load();
  assert.equal(mirror.textsOf([key(2)])?.get('d1:2')?.searchText, '大武口', 'the change whose log entry was lost');
});

test('the log keeps its last 100,000 entries', () => {
  const seq = (sql: string) => (catalogue.db.prepare(sql).get() as { n: number }).n;
  catalogue.db.prepare("INSERT INTO sqlite_sequence (name, seq) SELECT 'search_text_changes', 0 WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'search_text_changes')").run();
  catalogue.db.prepare("UPDATE sqlite_sequence SET seq = 250000 WHERE name = 'search_text_changes'").run();
  catalogue.db.prepare('INSERT INTO search_text_changes (seq, document_id, number) VALUES (150000, ?, 1), (150001, ?, 1), (150002, ?, 1)').run('d1', 'd1', 'd1');
  catalogue.pages.saveSearchTexts([{ documentId: 'd1', number: 1, searchText: '石炭井' }]);
  assert.equal(seq('SELECT max(seq) AS n FROM search_text_changes'), 250001);
  assert.equal(seq('SELECT min(seq) AS n FROM search_text_changes'), 150002, 'entries 100,000 or more before the newest are dropped');
});

test('past its memory budget it gives up and every read goes to SQLite', async () => {
  const small = createSearchTextMirror(catalogue.db, { budgetBytes: 500, onNotice: (m) => notices.push(m) });
  await small.load();
  assert.equal(small.textsOf([key(1)]), null);
  assert.equal(small.stats().givenUp, true);
  assert.match(notices.join('\n'), /exceed/);
  const off = createSearchTextMirror(catalogue.db, { budgetBytes: 0 });
  await off.load();
  assert.equal(off.filter([key(1)], ['矿'], []), null, 'a budget of 0 turns it off');
  assert.equal(notices.length, 1, 'turned off says nothing');
});
