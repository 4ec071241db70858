import { test } from 'node:test';
import assert from 'node:assert/strict';
import { branchValues, characterField, headlineFields, innerBranches, isChainedTerm, isExactTerm, pairFields, pairWords, suspectBranches, termPhrase } from '../../src/search/index-tokens.ts';
import { characterCode } from '../../src/search/character-codes.ts';
import { foldQuery, normalizeText } from '../../src/search/normalize.ts';
import { seededRandom } from '../../fixtures/build/seeded-random.ts';

test('pair words: one ASCII word per two neighbouring characters (their code words joined), punctuation included', () => {
  const words = pairWords('石炭井，矿');
  assert.equal(words.length, 4);
  assert.deepEqual(words, ['石炭', '炭井', '井，', '，矿'].map(([a, b]) => characterCode(a!.codePointAt(0)!) + characterCode(b!.codePointAt(0)!)));
  for (const w of words) assert.match(w, /^[a-z]{6}$/, 'common characters and punctuation have three-letter codes');
  assert.equal(new Set(words).size, 4);
  assert.deepEqual(pairWords('矿'), []);
  assert.deepEqual(pairWords(''), []);
  assert.equal(pairWords('a𠀀b').length, 2, 'a supplementary character is one character');
  assert.match(pairWords('a𠀀b')[0]!, /^[a-x][a-z]{2}y[a-z]{4}$/);
});

test('a term is found in a page when its pair phrase lies inside the page pairs, whatever the script and spacing', () => {
  const page = pairWords(normalizeText('在石炭井礦區，\n有一座印跡館。').text).join(' ');
  for (const q of ['石炭井矿区', '炭井', '矿区，有', '印迹']) assert.ok(page.includes(termPhrase(foldQuery(q))), q);
  assert.ok(!page.includes(termPhrase(foldQuery('石炭井有'))));
});

test('characterField: distinct characters once each as code words, hard-separated; whitespace left out', () => {
  const code = (ch: string) => characterCode(ch.codePointAt(0)!);
  assert.equal(characterField('石炭井，石炭2024年'), ['石', '炭', '井', '，', '2', '0', '4', '年'].map(code).join(' 。 '));
  assert.equal(characterField('……'), code('…'));
  assert.equal(characterField('a b\nc'), ['a', 'b', 'c'].map(code).join(' 。 '));
  assert.equal(termPhrase('矿'), code('矿'));
  assert.equal(termPhrase('，'), code('，'));
  assert.match(characterField('石炭井，《》%😀a1'), /^[a-z]+( 。 [a-z]+)*$/, 'nothing but ASCII words for the tokenizer');
  assert.ok(isExactTerm('，') && isExactTerm('《') && isExactTerm('矿'));
});

test('headlineFields: the headline\'s character and pair words, so that a headline match can be ranked first', () => {
  const headline = normalizeText('石炭井礦區 的澡堂').text;
  assert.deepEqual(headlineFields(headline), { headChars: characterField(headline), headPairs: pairWords(headline).join(' ') });
  assert.ok(headlineFields(headline).headPairs!.includes(termPhrase(foldQuery('矿区的澡'))), 'a traditional headline, a term across its space');
  assert.deepEqual(headlineFields(''), {}, 'no headline, no fields');
  assert.deepEqual(headlineFields(' \n'), {});
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

test('isExactTerm: up to three characters, four unless abcd has b = c or a = d; longer terms are verified', () => {
  assert.equal(isExactTerm('矿'), true);
  assert.equal(isExactTerm('炭井'), true);
  assert.equal(isExactTerm('哈哈哈'), true);
  assert.equal(isExactTerm('大武口区'), true);
  assert.equal(isExactTerm('石炭石炭'), true, 'its first and third pair can only meet two apart');
  assert.equal(isExactTerm('哈哈哈哈'), false);
  assert.equal(isExactTerm('矿石炭矿'), false);
  assert.equal(isExactTerm('大武口区政'), false);
});

test('chained terms: longer than four characters, every window of four exact', () => {
  assert.equal(isChainedTerm('石炭井矿务局'), true);
  assert.equal(isChainedTerm('大武口区'), false, 'four characters are exact as they are');
  assert.equal(isChainedTerm('石炭井矿石炭'), true, 'a repeat further apart than a window is allowed');
  assert.equal(isChainedTerm('人山人海人'), true);
  assert.equal(isChainedTerm('石炭井石矿'), false, 'a window abca is not exact');
  assert.equal(isChainedTerm('大武口口区'), false, 'nor is a window abbc');
  const { right, left } = innerBranches('石炭井矿务局'); // 炭井矿 and 井矿务, what neighbouring windows share
  assert.equal(right.length, 2);
  assert.equal(left.length, 2);
  const values = branchValues('炭井矿区。炭井矿务，井矿务局，井矿务。');
  assert.ok(right.every((v) => values.includes(v)));
});

test('branch values: trigrams that go on, or come from, different characters on the page', () => {
  const r = (s: string) => innerBranches(`x${s}yz`).right[0]!;
  const l = (s: string) => innerBranches(`x${s}yz`).left[0]!;
  const page = branchValues('石炭井矿区，石炭井矿务局');
  assert.ok(page.includes(r('炭井矿')), '炭井矿 goes on as 区 and as 务');
  assert.ok(!page.includes(l('炭井矿')), 'and comes from 石 both times');
  assert.ok(!page.includes(r('石炭井')), 'followed by 矿 both times');
  assert.ok(page.includes(l('石炭井')), 'the start of the text is a different character from ，');
  assert.ok(branchValues('石炭井矿。石炭井').includes(r('石炭井')), 'the end of the text is a different continuation');
  assert.deepEqual(branchValues('石炭井矿'), []);
});

/**
 * The rule the chained plan rests on, tried on random texts over a small alphabet (so windows recur
 * often): a text holding every four-character window of a chained term, without an inner trigram
 * branching left at or before one branching right, holds the term.
 */
test('a chained term whose windows all occur is in the text unless an inner trigram branches left at or before one branching right', () => {
  const random = seededRandom(42);
  const alphabet = [...'石炭井矿务'];
  const text = (n: number) => Array.from({ length: n }, () => alphabet[Math.floor(random() * alphabet.length)]).join('');
  let windowMatches = 0;
  let wrongButFlagged = 0;
  let spared = 0;
  for (let i = 0; i < 20_000; i++) {
    const page = text(300 + Math.floor(random() * 500));
    const term = text(5 + Math.floor(random() * 3));
    if (!isChainedTerm(term)) continue;
    const chars = [...term];
    const windows = chars.slice(0, -3).map((_c, j) => chars.slice(j, j + 4).join(''));
    if (!windows.every((w) => page.includes(w))) continue;
    windowMatches++;
    const values = new Set(branchValues(page));
    const flagged = suspectBranches(term).some(({ left, right }) => values.has(left) && right.some((v) => values.has(v)));
    if (!page.includes(term)) {
      assert.ok(flagged, `${term} in ${page}: windows occur, the term does not, and no inner trigram branches left at or before one branching right`);
      wrongButFlagged++;
    } else if (!flagged) spared++;
  }
  assert.ok(windowMatches > 200 && wrongButFlagged > 100 && spared > 0, `${windowMatches} window matches, ${wrongButFlagged} wrong ones, ${spared} right ones not checked`);
});
