import { test } from 'node:test';
import assert from 'node:assert/strict';
import { documentTypeCode, formatReference } from '../../src/stories/reference.ts';
import { readingMinutes, readingUnits } from '../../src/stories/reading-time.ts';
import { chineseScript } from '../../src/stories/text-script.ts';

const blank = { title: '', creator: '', publisher: '', date: '', type: '', coverage: '' };

test('a newspaper page: 报纸名, 出版日期(版次), citation date and address', () => {
  const ref = formatReference({
    metadata: { ...blank, title: '凝心聚力促发展 奋楫扬帆开新局', creator: '罗鸣', publisher: '石嘴山日报', date: '2024-12', type: 'Text' },
    pageNumber: 1, url: 'https://wenshi.example/documents/abc/pages/1', citedOn: '2025-01-05',
  });
  assert.equal(ref, '罗鸣. 凝心聚力促发展 奋楫扬帆开新局[N/OL]. 石嘴山日报, 2024-12(1)[2025-01-05]. https://wenshi.example/documents/abc/pages/1.');
});

test('a book: the standard placeholder for the unknown place, the year, the cited page', () => {
  const ref = formatReference({
    metadata: { ...blank, title: '石炭井印迹', creator: '大武口区政协', publisher: '宁夏人民出版社', date: '2019年', type: 'Text' },
    pageNumber: 12, url: 'https://x/documents/abc/pages/12', citedOn: '2025-01-05',
  });
  assert.equal(ref, '大武口区政协. 石炭井印迹[M/OL]. [出版地不详]: 宁夏人民出版社, 2019: 12[2025-01-05]. https://x/documents/abc/pages/12.');
});

test('without creator or publisher the reference starts with the title and says what is unknown', () => {
  const ref = formatReference({ metadata: { ...blank, title: '政协志·文史资料工作' }, pageNumber: 3, url: 'https://x/p', citedOn: '2025-02-01' });
  assert.equal(ref, '政协志·文史资料工作[G/OL]. [出版地不详]: [出版者不详], [出版年不详]: 3[2025-02-01]. https://x/p.');
});

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
