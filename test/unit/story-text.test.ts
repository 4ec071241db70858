import { test } from 'node:test';
import assert from 'node:assert/strict';
import { documentTypeCode } from '../../src/stories/reference.ts';
import { readingMinutes, readingUnits } from '../../src/stories/reading-time.ts';
import { chineseScript } from '../../src/stories/text-script.ts';

test('type codes: newspapers by name, compilations, pictures, books', () => {
  assert.equal(documentTypeCode({ type: '', publisher: '宁夏日报', title: 'x' }), 'N');
  assert.equal(documentTypeCode({ type: '', publisher: '民族画报', title: 'x' }), 'M', 'a 画报 is a magazine, not a newspaper');
  assert.equal(documentTypeCode({ type: '', publisher: '', title: '石嘴山文史资料 第三辑' }), 'G');
  assert.equal(documentTypeCode({ type: 'StillImage', publisher: '', title: 'x' }), 'Z');
  assert.equal(documentTypeCode({ type: 'Text', publisher: 'Wenshi', title: '选篇' }), 'M');
});

test('reading time: 400 Chinese characters a minute, Latin words count double, at least one minute', () => {
  assert.equal(readingUnits('石炭井 mining town 1958年'), 4 + 3 * 2);
  assert.equal(readingMinutes('字'.repeat(1000)), 3);
  assert.equal(readingMinutes('字'.repeat(1200)), 3);
  assert.equal(readingMinutes('字'.repeat(1500)), 4);
  assert.equal(readingMinutes(''), 1);
});

test('script detection compares a text with its simplified fold', () => {
  assert.equal(chineseScript('石炭井矿务局的工人们在贺兰山下建起了俱乐部'), 'zh-Hans');
  assert.equal(chineseScript('石炭井礦務局的工人們在賀蘭山下建起了俱樂部'), 'zh-Hant');
  assert.equal(chineseScript('Shitanjing 1958'), null);
});
