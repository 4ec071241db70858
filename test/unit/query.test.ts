import { test } from 'node:test';
import assert from 'node:assert/strict';
import { normalizeText } from '../../src/search/normalize.ts';
import {
  MAX_QUERY_LENGTH, findMatches, isExactNegation, matchesText, needsVerification, parseQuery, planQuery, toMeiliQuery,
} from '../../src/search/query.ts';
import { pairWords, termPhrase } from '../../src/search/index-tokens.ts';

/** The phrase a term becomes: its pair words (index-tokens.ts). */
const phrase = (s: string) => pairWords(s).join(' ');

const texts = (q: ReturnType<typeof parseQuery>) => q.terms.map((t) => `${t.negated ? '-' : ''}${t.text}`);

test('space-separated terms are all required', () => {
  const q = parseQuery('石炭井 矿');
  assert.deepEqual(texts(q), ['石炭井', '矿']);
  assert.equal(q.positive.length, 2);
  assert.equal(q.negative.length, 0);
  assert.equal(q.terms[0]?.raw, '石炭井');
});

test('a quoted phrase is one term and spaces inside are ignored', () => {
  assert.deepEqual(texts(parseQuery('"大武口 区"')), ['大武口区']);
  assert.deepEqual(texts(parseQuery('“大武口 区” 政协')), ['大武口区', '政协']);
});

test('a minus excludes a term or a phrase', () => {
  const q = parseQuery('-政协 石炭井');
  assert.deepEqual(texts(q), ['-政协', '石炭井']);
  assert.deepEqual(q.negative.map((t) => t.text), ['政协']);
  assert.deepEqual(q.positive.map((t) => t.text), ['石炭井']);
  assert.deepEqual(texts(parseQuery('石炭井 -"大武口 区"')), ['石炭井', '-大武口区']);
  assert.deepEqual(texts(parseQuery('石炭井 －政協')), ['石炭井', '-政协']);
});

test('a minus inside a word or standing alone is not an exclusion', () => {
  assert.deepEqual(texts(parseQuery('1958-1960')), ['1958-1960']);
  assert.deepEqual(texts(parseQuery('石炭井 - 矿')), ['石炭井', '矿']);
});

test('blank queries give no terms', () => {
  for (const raw of ['   ', '', '\u3000\n', '""', '" "', '-', ' － ']) {
    assert.deepEqual(parseQuery(raw), { terms: [], positive: [], negative: [] }, JSON.stringify(raw));
  }
});

test('a term of punctuation or symbols alone is searched for, not dropped (every page is not its answer)', () => {
  assert.deepEqual(texts(parseQuery('《')), ['《']);
  assert.deepEqual(texts(parseQuery('，。')), [',。']);
  assert.deepEqual(texts(parseQuery('—— %')), ['——', '%']);
  assert.deepEqual(texts(parseQuery('石炭井 -·')), ['石炭井', '-·']);
  assert.deepEqual(parseQuery('石炭井 -·').negative.map((t) => t.text), ['·']);
  // At the edges of a word it is still typing noise.
  assert.deepEqual(texts(parseQuery('石炭井，')), ['石炭井']);
});

test('an unclosed quote runs to the end of the query', () => {
  assert.deepEqual(texts(parseQuery('石炭井 "大武口 区')), ['石炭井', '大武口区']);
  assert.deepEqual(texts(parseQuery('石炭井"')), ['石炭井']);
});

test('terms are normalised; punctuation at the edges of unquoted words is dropped', () => {
  assert.deepEqual(texts(parseQuery('礦區， 印跡')), ['矿区', '印迹']);
  assert.deepEqual(texts(parseQuery('"《石炭井》"')), ['《石炭井》']);
  // A private-use character stands for a character missing from Unicode (造字): text, kept.
  assert.deepEqual(texts(parseQuery('\u{F0041}记 矿\uE000，')), ['\u{F0041}记', '矿\uE000']);
});

test('duplicate terms are kept once; input is cut at the length limit', () => {
  assert.deepEqual(texts(parseQuery('矿 礦 矿')), ['矿']);
  const long = parseQuery('石'.repeat(MAX_QUERY_LENGTH + 50));
  assert.equal(long.terms[0]?.text.length, MAX_QUERY_LENGTH);
  const pairs = parseQuery('𠀀'.repeat(MAX_QUERY_LENGTH));
  assert.equal(pairs.terms[0]?.text, '𠀀'.repeat(MAX_QUERY_LENGTH / 2));
});

test('toMeiliQuery: one phrase per term (its character pairs; one character its code word), negations first', () => {
  assert.equal(toMeiliQuery(parseQuery('石炭井 矿')), `"${phrase('石炭井')}" "${termPhrase('矿')}"`);
  assert.equal(toMeiliQuery(parseQuery('-政协 石炭井')), `-"${phrase('政协')}" "${phrase('石炭井')}"`);
  assert.equal(toMeiliQuery(parseQuery('礦區')), `"${phrase('矿区')}"`);
  // punctuation stays inside the phrase: pairs cross it, so 石炭井，矿区 is one sequence
  assert.equal(toMeiliQuery(parseQuery('"石炭井，矿区"')), `"${phrase('石炭井,矿区')}"`); // full-width comma folded
  assert.equal(toMeiliQuery(parseQuery('   ')), '');
});

test('negations Meilisearch cannot apply exactly stay out of q', () => {
  // five characters: Meilisearch could exclude pages that only have 大武口区 and 武口区政 apart
  assert.equal(toMeiliQuery(parseQuery('石炭井 -大武口区政')), `"${phrase('石炭井')}"`);
  assert.equal(isExactNegation(parseQuery('-政协').negative[0]!), true);
  assert.equal(isExactNegation(parseQuery('-大武口').negative[0]!), true);
  assert.equal(isExactNegation(parseQuery('-大武口区政').negative[0]!), false);
});

test('planQuery: exact phrases alone, chained long terms checked where they branch, the rest verified one by one', () => {
  assert.equal(planQuery(parseQuery('石炭井 矿 -政协')), 'exact');
  assert.equal(planQuery(parseQuery('石炭井矿务局')), 'chained');
  assert.equal(planQuery(parseQuery('矿 -大武口区政协')), 'chained');
  assert.equal(planQuery(parseQuery('石炭井矿务局 -石炭')), 'chained');
  assert.equal(planQuery(parseQuery('哈哈哈哈')), 'verify-all'); // four characters, the middle two alike
  assert.equal(planQuery(parseQuery('石炭井矿务局 大武口口区')), 'verify-all'); // a window abbc
  assert.equal(planQuery(parseQuery('一 二 三 四 五 六 七 八 九 石炭井矿务局 百')), 'verify-all');
  assert.equal(toMeiliQuery(parseQuery('石炭井 -大武口区政'), { chainedNegations: true }), `-"${phrase('大武口区政')}" "${phrase('石炭井')}"`);
});

test('needsVerification only when Meilisearch can be wrong', () => {
  assert.equal(needsVerification(parseQuery('矿')), false);
  assert.equal(needsVerification(parseQuery('石炭 矿区 -政协')), false);
  assert.equal(needsVerification(parseQuery('石炭井')), false); // two pairs: exact
  assert.equal(needsVerification(parseQuery('大武口区')), false); // three pairs, no repeated character
  assert.equal(needsVerification(parseQuery('"矿，区"')), false); // punctuation is part of the pairs
  assert.equal(needsVerification(parseQuery('哈哈哈哈')), true); // a repeat lets pairs overlap wrongly
  assert.equal(needsVerification(parseQuery('石炭石炭')), false); // this one cannot
  assert.equal(needsVerification(parseQuery('大武口区政协')), true); // longer than four characters
  assert.equal(needsVerification(parseQuery('矿 -大武口区政协')), true); // negation applied in the service
  assert.equal(needsVerification(parseQuery('一 二 三 四 五 六 七 八 九 十')), false);
  assert.equal(needsVerification(parseQuery('一 二 三 四 五 六 七 八 九 十 百')), true); // > 10 terms
  assert.equal(needsVerification(parseQuery('一 二 三 四 五 六 七 八 九 -十 -百')), true); // negations count too
  assert.equal(needsVerification(parseQuery('')), false);
});

test('matchesText: all positive terms are substrings, no negative one', () => {
  const page = normalizeText('石嘴山市石炭井矿区，政協委員會').text;
  assert.equal(matchesText(page, parseQuery('炭井')), true);
  assert.equal(matchesText(page, parseQuery('石炭井 礦區')), true);
  assert.equal(matchesText(page, parseQuery('石炭井 大武口')), false);
  assert.equal(matchesText(page, parseQuery('石炭井 -政协')), false);
  assert.equal(matchesText(page, parseQuery('石炭井 -大武口')), true);
  assert.equal(matchesText(page, parseQuery('"矿区，政协"')), true);
  assert.equal(matchesText(page, parseQuery('"矿区政协"')), false);
  assert.equal(matchesText(page, parseQuery('-大武口')), true);
});

test('findMatches: every non-overlapping occurrence of each term, sorted', () => {
  const page = normalizeText('石炭井石炭井，炭井').text;
  const q = parseQuery('炭井 石炭');
  assert.deepEqual(findMatches(page, q), [
    { start: 0, end: 2, term: 1 },
    { start: 1, end: 3, term: 0 },
    { start: 3, end: 5, term: 1 },
    { start: 4, end: 6, term: 0 },
    { start: 7, end: 9, term: 0 },
  ]);
  assert.deepEqual(findMatches('aaaa', parseQuery('aa')).map((m) => m.start), [0, 2]);
  assert.deepEqual(findMatches(page, parseQuery('-石炭')), []);
});
