import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chineseNumber, normalizeYear } from '../../src/catalogue/dates.ts';

test('dates written in 民国纪年 give the Gregorian year', () => {
  assert.deepEqual(normalizeYear('民国三十八年'), { from: 1949, to: 1949 });
  assert.deepEqual(normalizeYear('中华民国二十六年七月'), { from: 1937, to: 1937 });
  assert.deepEqual(normalizeYear('民国元年'), { from: 1912, to: 1912 });
  assert.deepEqual(normalizeYear('民国38年'), { from: 1949, to: 1949 });
  assert.deepEqual(normalizeYear('民国廿一年'), { from: 1932, to: 1932 });
});

test('decades become a ten-year range; seasons and months keep their year', () => {
  assert.deepEqual(normalizeYear('1950年代'), { from: 1950, to: 1959 });
  assert.deepEqual(normalizeYear('1958年秋'), { from: 1958, to: 1958 });
  assert.deepEqual(normalizeYear('1965年3月'), { from: 1965, to: 1965 });
  assert.deepEqual(normalizeYear('2024-05-01'), { from: 2024, to: 2024 });
  assert.deepEqual(normalizeYear('公元1949年'), { from: 1949, to: 1949 });
});

test('spans and years written in Chinese digits', () => {
  assert.deepEqual(normalizeYear('1958—1962'), { from: 1958, to: 1962 });
  assert.deepEqual(normalizeYear('1958年至1962年'), { from: 1958, to: 1962 });
  assert.deepEqual(normalizeYear('一九五八年'), { from: 1958, to: 1958 });
  assert.deepEqual(normalizeYear('一九六五年冬'), { from: 1965, to: 1965 });
});

test('text with no recognisable year gives null, not a guess', () => {
  assert.equal(normalizeYear(''), null);
  assert.equal(normalizeYear('  '), null);
  assert.equal(normalizeYear('年代不详'), null);
  assert.equal(normalizeYear('清末'), null);
  assert.equal(normalizeYear('第12期'), null);
});

test('Chinese numerals', () => {
  assert.equal(chineseNumber('三十八'), 38);
  assert.equal(chineseNumber('十二'), 12);
  assert.equal(chineseNumber('十'), 10);
  assert.equal(chineseNumber('廿一'), 21);
  assert.equal(chineseNumber('五'), 5);
  assert.equal(chineseNumber('一九五八'), 1958);
  assert.equal(chineseNumber('38'), 38);
  assert.equal(chineseNumber('三百'), null);
});
