import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { DocumentRecord, DublinCore, PageRecord } from '../../src/catalogue/types.ts';
import { cslDate } from '../../src/citation/csl-json.ts';
import { bibtexEntry, citationDate, citedWork, cslJson, gbt7714Reference, highwireTags, personNames, risRecord, splitPublisher, splitVolume } from '../../src/citation/index.ts';

const ORIGIN = 'https://wenshi.example';
const blankDc: DublinCore = {
  title: '', creator: '', contributor: '', publisher: '', date: '', type: '', source: '', language: '', rights: '',
  description: '', subject: '', coverage: '',
};

function doc(metadata: Partial<DublinCore>, extra: Partial<DocumentRecord> = {}): DocumentRecord {
  return {
    id: 'a1b2c3d4e5f6', sha256: 'f'.repeat(64), originalName: 'volume.pdf', mediaType: 'application/pdf', bytes: 1000,
    collection: { id: 1, slug: 'shitanjing-yinji', title: '《石炭井印迹》', description: '' },
    metadata: { ...blankDc, ...metadata }, yearFrom: null, yearTo: null, published: true, status: 'ready', pageCount: 120,
    ocrLanguages: 'auto', createdAt: '', updatedAt: '', deletedAt: null, ...extra,
  };
}

function page(number: number, headline: string | null, byline: string | null): PageRecord {
  return {
    documentId: 'a1b2c3d4e5f6', number, text: '正文', correctedText: null, source: 'ocr', confidence: 0.9, needsOcr: false,
    headline, dek: null, byline, captions: [], layout: null, imageWidth: 1000, imageHeight: 1400, hasImage: true,
  };
}

const volume = doc({
  title: '《石炭井印迹》（第二辑）', creator: '政协石嘴山市大武口区委员会', publisher: '银川：宁夏人民出版社', date: '2019年',
  type: '文史资料', language: 'zh-Hans',
});
const article = citedWork({ document: volume, page: page(37, '工人俱乐部的电影', '口述 王秀英 整理 李建国'), origin: ORIGIN, accessed: '2025-03-01', originalPublic: true });

test('GB/T 7714: an article inside a volume takes the analytic form with //, the volume, the page, date and permalink', () => {
  assert.equal(gbt7714Reference(article),
    '王秀英, 李建国. 工人俱乐部的电影[G/OL]//政协石嘴山市大武口区委员会. 石炭井印迹: 第二辑. 银川: 宁夏人民出版社, 2019: 37[2025-03-01]. https://wenshi.example/documents/a1b2c3d4e5f6/pages/37.');
  assert.equal(gbt7714Reference(article, { online: false }),
    '王秀英, 李建国. 工人俱乐部的电影[G]//政协石嘴山市大武口区委员会. 石炭井印迹: 第二辑. 银川: 宁夏人民出版社, 2019: 37.');
});

test('GB/T 7714: a book and one of its pages without an article; unknown place and publisher use the standard placeholders', () => {
  const book = doc({ title: '大武口老街忆旧', creator: '张三；李四；王五；赵六', date: '1986' });
  const whole = citedWork({ document: book, origin: ORIGIN, accessed: '2025-03-01', originalPublic: true });
  assert.equal(gbt7714Reference(whole),
    '张三, 李四, 王五, 等. 大武口老街忆旧[M/OL]. [出版地不详]: [出版者不详], 1986[2025-03-01]. https://wenshi.example/documents/a1b2c3d4e5f6.');
  const onePage = citedWork({ document: book, page: page(5, null, null), origin: ORIGIN, accessed: '2025-03-01', originalPublic: true });
  assert.equal(gbt7714Reference(onePage, { online: false }), '张三, 李四, 王五, 等. 大武口老街忆旧[M]. [出版地不详]: [出版者不详], 1986: 5.');
});

test('GB/T 7714: a newspaper page is 报纸名, 出版日期(版次)', () => {
  const paper = doc({ title: '凝心聚力促发展 奋楫扬帆开新局——大武口区政协2024年工作亮点回眸', creator: '罗鸣', publisher: '石嘴山日报', date: '2024-12-20', type: 'Text' });
  const work = citedWork({ document: paper, page: page(1, '凝心聚力促发展 奋楫扬帆开新局', '本报记者 罗鸣 文/图'), origin: ORIGIN, accessed: '2025-01-05', originalPublic: false });
  assert.equal(gbt7714Reference(work),
    '罗鸣. 凝心聚力促发展 奋楫扬帆开新局[N/OL]. 石嘴山日报, 2024-12-20(1)[2025-01-05]. https://wenshi.example/documents/a1b2c3d4e5f6/pages/1.');
});

test('parts of a citation: volumes, names without roles, place and publisher, dates in China Standard Time', () => {
  assert.deepEqual(splitVolume('《石炭井印迹》（第二辑）'), { title: '石炭井印迹', volume: '第二辑' });
  assert.deepEqual(splitVolume('石嘴山文史资料 第 3 辑'), { title: '石嘴山文史资料', volume: '第3辑' });
  assert.deepEqual(splitVolume('大武口老街忆旧'), { title: '大武口老街忆旧', volume: null });
  assert.deepEqual(personNames('本报记者 罗鸣 文/图'), ['罗鸣']);
  assert.deepEqual(personNames('文／张建华'), ['张建华']);
  assert.deepEqual(personNames('口述：王秀英、整理：李建国'), ['王秀英', '李建国']);
  assert.deepEqual(splitPublisher('银川：宁夏人民出版社'), { place: '银川', publisher: '宁夏人民出版社' });
  assert.deepEqual(splitPublisher('石嘴山日报'), { place: null, publisher: '石嘴山日报' });
  assert.equal(citationDate(new Date('2025-03-01T17:30:00Z')), '2025-03-02');
});

test('RIS: a chapter with its book, editors, volume and page, CRLF lines closed by ER', () => {
  assert.equal(risRecord(article), [
    'TY  - CHAP', 'TI  - 工人俱乐部的电影', 'AU  - 王秀英', 'AU  - 李建国', 'A2  - 政协石嘴山市大武口区委员会', 'T2  - 石炭井印迹',
    'VL  - 第二辑', 'PY  - 2019', 'DA  - 2019年', 'PB  - 宁夏人民出版社', 'CY  - 银川', 'SP  - 37', 'LA  - zh-Hans',
    'UR  - https://wenshi.example/documents/a1b2c3d4e5f6/pages/37', 'L1  - https://wenshi.example/documents/a1b2c3d4e5f6/original',
    'Y2  - 2025-03-01', 'DB  - 文史 Wenshi', 'ER  - ',
  ].join('\r\n') + '\r\n');
});

test('BibTeX: incollection with braced Chinese names and TeX specials escaped', () => {
  const tricky = citedWork({ document: doc({ title: '50% & 煤_矿 {史}', creator: '张三' }), origin: ORIGIN, accessed: '2025-03-01', originalPublic: false });
  assert.equal(bibtexEntry(tricky), [
    '@book{wenshi-a1b2c3d4e5f6,', '  title = {50\\% \\& 煤\\_矿 \\{史\\}},', '  author = {{张三}},',
    '  url = {https://wenshi.example/documents/a1b2c3d4e5f6},', '  urldate = {2025-03-01}', '}', '',
  ].join('\n'));
  assert.equal(bibtexEntry(article), [
    '@incollection{wenshi-a1b2c3d4e5f6-p37,', '  title = {工人俱乐部的电影},', '  author = {{王秀英} and {李建国}},',
    '  editor = {{政协石嘴山市大武口区委员会}},', '  booktitle = {石炭井印迹},', '  volume = {第二辑},', '  publisher = {宁夏人民出版社},',
    '  address = {银川},', '  year = {2019},', '  date = {2019年},', '  pages = {37},', '  langid = {zh-Hans},',
    '  url = {https://wenshi.example/documents/a1b2c3d4e5f6/pages/37},', '  urldate = {2025-03-01}', '}', '',
  ].join('\n'));
});

test('CSL-JSON: a chapter item with literal names and date parts', () => {
  assert.deepEqual(JSON.parse(cslJson(article)), [{
    id: 'wenshi-a1b2c3d4e5f6-p37', type: 'chapter', title: '工人俱乐部的电影',
    author: [{ literal: '王秀英' }, { literal: '李建国' }], editor: [{ literal: '政协石嘴山市大武口区委员会' }],
    'container-title': '石炭井印迹', volume: '第二辑', publisher: '宁夏人民出版社', 'publisher-place': '银川',
    issued: { 'date-parts': [[2019]] }, page: '37', language: 'zh-Hans',
    URL: 'https://wenshi.example/documents/a1b2c3d4e5f6/pages/37', accessed: { 'date-parts': [[2025, 3, 1]] }, source: '文史 Wenshi',
  }]);
  const undated = citedWork({ document: doc({ title: '旧志', date: '民国三十八年' }), origin: ORIGIN, accessed: '2025-03-01', originalPublic: false });
  assert.deepEqual(JSON.parse(cslJson(undated))[0].issued, { literal: '民国三十八年' });
  assert.deepEqual(cslDate('1964年12月5日'), { 'date-parts': [[1964, 12, 5]] });
  assert.deepEqual(cslDate('2024-12'), { 'date-parts': [[2024, 12]] });
  assert.deepEqual(cslDate('1950年代'), { literal: '1950年代' });
});

test('Highwire tags: title, authors, book, date, publisher, first page, and the PDF only when public', () => {
  assert.deepEqual(highwireTags(article).map((m) => `${m.name}=${m.content}`), [
    'citation_title=工人俱乐部的电影', 'citation_author=王秀英', 'citation_author=李建国', 'citation_inbook_title=石炭井印迹',
    'citation_editor=政协石嘴山市大武口区委员会', 'citation_volume=第二辑', 'citation_publication_date=2019',
    'citation_publisher=宁夏人民出版社', 'citation_firstpage=37', 'citation_language=zh-Hans',
    'citation_abstract_html_url=https://wenshi.example/documents/a1b2c3d4e5f6/pages/37',
    'citation_pdf_url=https://wenshi.example/documents/a1b2c3d4e5f6/original',
  ]);
  const closed = citedWork({ document: volume, page: page(2, null, null), origin: ORIGIN, accessed: '2025-03-01', originalPublic: false });
  assert.ok(!highwireTags(closed).some((m) => m.name === 'citation_pdf_url'));
  assert.ok(highwireTags(closed).some((m) => m.name === 'citation_author' && m.content === '政协石嘴山市大武口区委员会'));
});
