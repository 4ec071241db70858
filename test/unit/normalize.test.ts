import { test } from 'node:test';
import assert from 'node:assert/strict';
import { foldQuery, makeWellFormed, normalizeText, toIndexTokens } from '../../src/search/normalize.ts';

test('traditional characters fold to simplified', () => {
  assert.equal(foldQuery('礦'), '矿');
  assert.equal(foldQuery('印跡'), '印迹');
  assert.equal(foldQuery('國'), '国');
  assert.equal(foldQuery('石嘴山礦務局'), '石嘴山矿务局');
});

test('characters that are the same in both scripts stay unchanged', () => {
  assert.equal(foldQuery('石炭井'), '石炭井');
  assert.equal(foldQuery('大武口区'), '大武口区');
});

test('variant forms of old prints fold too', () => {
  assert.equal(foldQuery('爲衆峯綫'), '为众峰线');
  assert.equal(foldQuery('敍'), '叙'); // Hong Kong variant table
  assert.equal(foldQuery('簷'), '檐'); // Taiwan variant table
});

test('simplified characters that a variant table would merge stay apart', () => {
  assert.equal(foldQuery('什么'), '什么');
  assert.equal(foldQuery('著作'), '著作');
});

test('folding is idempotent, also for chained mappings', () => {
  const sample = '薴礦印跡國爲衆乾隆後臺颱敍簷ＰＤＦ①⼈豈';
  const once = foldQuery(sample);
  assert.equal(foldQuery(once), once);
  assert.equal(foldQuery('薴'), '苎');
});

test('full-width ASCII folds to lower-case ASCII', () => {
  assert.equal(foldQuery('ＰＤＦ'), 'pdf');
  assert.equal(foldQuery('Ａ１，２'), 'a1,2');
  assert.equal(foldQuery('PDF'), 'pdf');
});

test('compatibility forms fold: Kangxi radicals, compatibility ideographs, circled digits, accents', () => {
  assert.equal(foldQuery('⼈民'), '人民');
  assert.equal(foldQuery('\uF900'), '岂'); // compatibility ideograph → 豈 → simplified
  assert.equal(foldQuery('①'), '1');
  assert.equal(foldQuery('Café'), 'cafe');
  assert.equal(foldQuery('Cafe\u0301'), 'cafe');
  assert.equal(foldQuery('が'), 'が');
});

test('all whitespace is removed: spaces, U+3000, newlines, tabs, zero-width and soft hyphen', () => {
  assert.equal(foldQuery('石 炭\u3000井\n矿\t区\r\n'), '石炭井矿区');
  assert.equal(foldQuery('石\u200B炭\u00AD井\uFEFF'), '石炭井');
});

test('map points every normalised unit at its original character', () => {
  const original = ' 石 炭\n𠀀井\u3000礦';
  const { text, map } = normalizeText(original);
  assert.equal(text, '石炭𠀀井矿');
  assert.equal(map.length, text.length + 1);
  assert.equal(map[map.length - 1], original.length);
  // 石 at 1, 炭 at 3, 𠀀 at 5 (both units), 井 at 7, 礦 at 9
  assert.deepEqual([...map], [1, 3, 5, 5, 7, 9, 10]);
  for (let i = 0; i < text.length; i++) {
    if (i > 0 && map[i] === map[i - 1]) continue; // second unit of a pair
    const at = map[i] ?? -1;
    const originalChar = String.fromCodePoint(original.codePointAt(at) ?? 0);
    const normalChar = String.fromCodePoint(text.codePointAt(i) ?? 0);
    assert.equal(foldQuery(originalChar), normalChar);
  }
});

test('an empty or all-space text normalises to nothing', () => {
  assert.deepEqual(normalizeText(''), { text: '', map: Int32Array.of(0) });
  assert.deepEqual(normalizeText(' \n\u3000'), { text: '', map: Int32Array.of(3) });
});

test('lone surrogates become U+FFFD, pairs stay intact', () => {
  assert.equal(makeWellFormed('a\uD800b'), 'a\uFFFDb');
  assert.equal(makeWellFormed('a\uDC00'), 'a\uFFFD');
  assert.equal(makeWellFormed('\uDC00\uD800'), '\uFFFD\uFFFD');
  assert.equal(makeWellFormed('𠀀'), '𠀀');
  const { text, map } = normalizeText('石\uD800炭\uDFFF');
  assert.equal(text, '石\uFFFD炭\uFFFD');
  assert.deepEqual([...map], [0, 1, 2, 3, 4]);
  assert.doesNotThrow(() => encodeURIComponent(text));
});

test('toIndexTokens: one token per character, punctuation runs become one hard separator', () => {
  assert.equal(toIndexTokens('石炭井,矿区2024年'), '石 炭 井 。 矿 区 2 0 2 4 年');
  assert.equal(toIndexTokens(foldQuery('石炭井，矿区2024年')), '石 炭 井 。 矿 区 2 0 2 4 年');
  assert.equal(toIndexTokens('《石炭井印迹》——第一辑。'), '石 炭 井 印 迹 。 第 一 辑');
  assert.equal(toIndexTokens('a𠀀b'), 'a 𠀀 b');
  assert.equal(toIndexTokens('…'), '');
  assert.equal(toIndexTokens(''), '');
});

test('index tokens of a page and of a query term agree whatever the script and spacing', () => {
  const page = toIndexTokens(normalizeText('在石炭井礦區，\n有一座印跡館。').text);
  const query = toIndexTokens(foldQuery('石炭井 矿区'));
  assert.ok(page.includes(query), `${page} should contain ${query}`);
});

test('a BMP character that folds to a supplementary one keeps both units mapped', () => {
  // OpenCC maps some Extension A characters to Extension B ones (㗲 → 𠵾): the text grows.
  const original = '㗲'.repeat(100);
  const { text, map } = normalizeText(original);
  assert.equal(text, '𠵾'.repeat(100));
  assert.equal(map.length, 201);
  assert.deepEqual([...map.slice(0, 4)], [0, 0, 1, 1]);
  assert.equal(map[200], 100);
});
