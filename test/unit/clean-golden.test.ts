/**
 * Golden test: the shared sample page (a real newspaper page's text layer, with fake bold, letter-spacing,
 * broken lines, captions and a title block that came out last) against its expected clean result, written by
 * hand. The sample is copied into fixtures/golden/ so the test does not depend on shared/ being beside the repo.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { cleanPageText, cleanText, type CleanPage } from '../../ingest/clean.ts';
import { characterErrorRate } from '../support/cer.ts';

const GOLDEN = new URL('../../fixtures/golden/', import.meta.url);
const sample = readFileSync(new URL('dawukou-cppcc-2024.extracted.txt', GOLDEN), 'utf8');
const expected = JSON.parse(readFileSync(new URL('dawukou-cppcc-2024.expected.json', GOLDEN), 'utf8')) as CleanPage;

const DOUBLED_CJK_PUNCTUATION = /([，。、；：《》“”（）！？])\1/u;
const SPACE_BETWEEN_HAN = /\p{Script=Han}\s+\p{Script=Han}/u;
const MAX_BODY_CER = 0.005;

const result = cleanPageText(sample);

test('golden: the whole page equals the hand-written reference', () => {
  assert.deepEqual(result, expected);
});

test('golden: headline, dek, byline and the 8 captions', () => {
  assert.equal(result.headline, '凝心聚力促发展 奋楫扬帆开新局');
  assert.equal(result.dek, '——大武口区政协2024年工作亮点回眸');
  assert.equal(result.byline, '本报记者 罗鸣 文/图');
  assert.equal(result.captions.length, 8);
  assert.deepEqual(result.captions, expected.captions);
});

test('golden: body paragraph by paragraph (a readable diff when the whole page differs)', () => {
  const actual = result.body.split('\n');
  const reference = expected.body.split('\n');
  reference.forEach((paragraph, index) => assert.equal(actual[index], paragraph, `paragraph ${index + 1}`));
  assert.equal(actual.length, reference.length);
});

test('golden: no doubled CJK punctuation is left anywhere', () => {
  for (const text of [result.body, ...result.captions, result.headline ?? '', result.dek ?? '', result.byline ?? '']) {
    assert.doesNotMatch(text, DOUBLED_CJK_PUNCTUATION);
  }
});

test('golden: no space between two Han characters in body and captions', () => {
  // The headline keeps its one phrase gap (凝心聚力促发展 奋楫扬帆开新局), as printed; the byline separates role and name.
  for (const text of [result.body, ...result.captions, result.dek ?? '']) assert.doesNotMatch(text, SPACE_BETWEEN_HAN);
});

test('golden: body character error rate within 0.5%', () => {
  const rate = characterErrorRate(result.body, expected.body);
  assert.ok(rate <= MAX_BODY_CER, `CER ${(rate * 100).toFixed(3)}%`);
});

test('golden: cleanText keeps every body paragraph of the reference', () => {
  const paragraphs = new Set(cleanText(sample).split('\n'));
  for (const paragraph of expected.body.split('\n')) assert.ok(paragraphs.has(paragraph), paragraph);
  for (const caption of expected.captions) assert.ok(paragraphs.has(caption), caption);
});

test('golden: cleaning is idempotent on the clean body', () => {
  assert.equal(cleanText(expected.body), expected.body);
});

test('golden: a page takes well under a millisecond per 2,000 characters', () => {
  const rounds = 200;
  for (let i = 0; i < 20; i += 1) cleanPageText(sample);
  const started = performance.now();
  for (let i = 0; i < rounds; i += 1) cleanPageText(sample);
  const perTwoThousandChars = ((performance.now() - started) / rounds) * (2000 / sample.length);
  // Generous bound so a loaded CI machine passes; it still catches a quadratic slip (that costs 10–100×).
  assert.ok(perTwoThousandChars < 5, `${perTwoThousandChars.toFixed(3)} ms per 2,000 characters`);
});
