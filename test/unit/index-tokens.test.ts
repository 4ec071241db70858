import { test } from 'node:test';
import assert from 'node:assert/strict';
import { characterField, isExactTerm, pairFields, pairWords, termPhrase } from '../../src/search/index-tokens.ts';
import { foldQuery, normalizeText } from '../../src/search/normalize.ts';

test('pair words: one ASCII word of ten letters per two neighbouring characters, punctuation included', () => {
  const words = pairWords('石炭井，矿');
  assert.equal(words.length, 4);
  for (const w of words) assert.match(w, /^[a-z]{10}$/);
  assert.equal(new Set(words).size, 4);
  assert.equal(words[0]!.slice(5), words[1]!.slice(0, 5), 'neighbouring pairs share their middle character');
  assert.deepEqual(pairWords('矿'), []);
  assert.deepEqual(pairWords(''), []);
  assert.equal(pairWords('a𠀀b').length, 2, 'a supplementary character is one character');
});

test('a term is found in a page when its pair phrase lies inside the page pairs, whatever the script and spacing', () => {
  const page = pairWords(normalizeText('在石炭井礦區，\n有一座印跡館。').text).join(' ');
  for (const q of ['石炭井矿区', '炭井', '矿区，有', '印迹']) assert.ok(page.includes(termPhrase(foldQuery(q))), q);
  assert.ok(!page.includes(termPhrase(foldQuery('石炭井有'))));
});

test('characterField: distinct letters and digits once each, hard-separated; punctuation left out', () => {
  assert.equal(characterField('石炭井，石炭2024年'), '石 。 炭 。 井 。 2 。 0 。 4 。 年');
  assert.equal(characterField('……'), '');
  assert.equal(termPhrase('矿'), '矿');
});

test('pairFields: one field for a normal page, overlapping fields for a page too long for one', () => {
  assert.deepEqual(Object.keys(pairFields('石炭井')), ['pairs']);
  assert.deepEqual(pairFields(''), { pairs: '' });
  const long = Array.from({ length: 130_000 }, (_, i) => String.fromCodePoint(0x4e00 + (i % 5000))).join('');
  const fields = pairFields(long);
  assert.deepEqual(Object.keys(fields), ['pairs', 'pairs2', 'pairs3']);
  const words = pairWords(long);
  // every phrase up to the query length limit lies whole inside one field
  const firstEnd = fields.pairs!.split(' ');
  const second = fields.pairs2!.split(' ');
  assert.equal(firstEnd.length, 60_000);
  assert.deepEqual(second.slice(0, 200), firstEnd.slice(-200));
  assert.equal(fields.pairs3!.split(' ').at(-1), words.at(-1));
});

test('isExactTerm: up to three characters, four without a repeat; longer terms are verified', () => {
  assert.equal(isExactTerm('矿'), true);
  assert.equal(isExactTerm('炭井'), true);
  assert.equal(isExactTerm('哈哈哈'), true);
  assert.equal(isExactTerm('大武口区'), true);
  assert.equal(isExactTerm('石炭石炭'), false);
  assert.equal(isExactTerm('大武口区政'), false);
});
