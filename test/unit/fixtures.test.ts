/**
 * Fixtures are generated, never hand-edited: this test regenerates them into a
 * temp dir and demands byte-identical files, then checks with pdf-parse — set
 * up exactly as the ingest pipeline uses it — that every PDF shows the
 * extraction artifacts it exists to exercise and that every `.expected.txt`
 * is consistent with what the text layer really holds.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { pdfLibraries } from '../../ingest/pdfjs.ts';
import { writeFixtures } from '../../fixtures/build/make-fixtures.ts';

const fixturesRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures');
const cMapUrl = `${path.join(path.dirname(createRequire(import.meta.url).resolve('pdfjs-dist/package.json')), 'cmaps')}/`;
const GENERATED_DIRS = ['pdf', 'text', 'demo', 'invalid'];

/** Page texts as the pipeline extracts them (no cell separator, no page joiner). */
async function extract(rel: string, withCMaps = true): Promise<string[]> {
  const data = new Uint8Array(fs.readFileSync(path.join(fixturesRoot, rel)));
  const { PDFParse } = await pdfLibraries();
  const parser = new PDFParse(withCMaps ? { data, cMapUrl, cMapPacked: true } : { data });
  try {
    const result = await parser.getText({ cellSeparator: '', pageJoiner: '' });
    return result.pages.map((p) => p.text);
  } finally {
    await parser.destroy();
  }
}

const readExpected = (rel: string): string => fs.readFileSync(path.join(fixturesRoot, rel), 'utf8');
const squeeze = (s: string): string => s.replace(/\s+/g, '');
/** Adobe-GB1-UCS2 maps the CID of … to U+22EF; the clean-up stage folds it back. */
const foldEllipsis = (s: string): string => s.replaceAll('⋯', '…');
const lines = (page: string): string[] => page.split('\n');

/**
 * Every expected paragraph (except those `skip` names) must occur in the
 * extraction once whitespace is removed from both: lines broken mid-word and
 * spread glyphs still hold the same characters in the same order.
 */
function assertParagraphsPresent(pages: string[], expected: string, skip: (p: string) => boolean = () => false): void {
  const expectedPages = expected.split('\n\f\n');
  assert.equal(expectedPages.length, pages.length, 'expected.txt has one section per page');
  expectedPages.forEach((expectedPage, i) => {
    const got = squeeze(foldEllipsis(pages[i] ?? ''));
    for (const paragraph of expectedPage.split('\n\n').map((p) => p.trim())) {
      if (paragraph === '' || skip(paragraph)) continue;
      assert.ok(got.includes(squeeze(paragraph)), `page ${i + 1} lacks paragraph: ${paragraph.slice(0, 30)}…`);
    }
  });
}

describe('fixtures are what the generator writes', () => {
  let tmp = '';
  let written: string[] = [];
  before(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'wenshi-fixtures-'));
    written = writeFixtures(tmp);
  });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  test('every generated file is committed byte for byte', () => {
    for (const rel of written) {
      const committed = path.join(fixturesRoot, rel);
      assert.ok(fs.existsSync(committed), `${rel} is generated but not committed: run npx tsx fixtures/build/make-fixtures.ts`);
      assert.ok(fs.readFileSync(committed).equals(fs.readFileSync(path.join(tmp, rel))), `${rel} differs from the generator's output`);
    }
  });

  test('no committed fixture is missing from the generator', () => {
    const generated = new Set(written);
    for (const dir of GENERATED_DIRS) {
      for (const entry of fs.readdirSync(path.join(fixturesRoot, dir), { recursive: true, withFileTypes: true })) {
        if (!entry.isFile()) continue;
        const rel = path.relative(fixturesRoot, path.join(entry.parentPath, entry.name)).split(path.sep).join('/');
        assert.ok(generated.has(rel), `${rel} is committed but the generator does not write it`);
      }
    }
  });
});

describe('PDF fixtures extract with the intended artifacts', () => {
  test('page counts', async () => {
    const counts: Record<string, number> = {
      'pdf/fake-bold-runs.pdf': 1,
      'pdf/fake-bold-lines.pdf': 1,
      'pdf/letter-spaced-justified.pdf': 1,
      'pdf/two-column-out-of-order.pdf': 1,
      'pdf/font-without-tounicode.pdf': 1,
      'pdf/gbk-euc-h-nonembedded.pdf': 1,
      'pdf/unigb-ucs2-multipage.pdf': 3,
      'pdf/newspaper-dawukou-2024.pdf': 1,
      'demo/newspaper-dawukou-2024.pdf': 1,
      'demo/shitanjing-yinji-excerpt.pdf': 7,
      'demo/dawukou-laojie-yijiu.pdf': 2,
    };
    for (const [rel, n] of Object.entries(counts)) assert.equal((await extract(rel)).length, n, rel);
  });

  test('fake-bold-runs: runs doubled, real reduplication intact', async () => {
    const [page = ''] = await extract('pdf/fake-bold-runs.pdf');
    const got = lines(page);
    assert.ok(got.includes('时光为笔时光为笔，，书写忠诚履职的真挚情怀书写忠诚履职的真挚情怀；；'));
    assert.ok(got.includes('发放资助金发放资助金、、慰问金慰问金 1414..88 万元万元。。'));
    assert.ok(got.includes('人人为我人人为我，，我为人人我为人人。。'));
    for (const plain of ['老矿工连声说“谢谢，谢谢”，人人脸上都是笑容。', '科长说“这事再研究研究”，大家哈哈哈地笑了。', '孩子们高高兴兴地去工人俱乐部看电影。']) {
      assert.ok(got.includes(plain), plain);
    }
    assertParagraphsPresent([page], readExpected('pdf/fake-bold-runs.expected.txt'), (p) => /时光|资助金|人人为我/.test(p));
  });

  test('fake-bold-lines: whole lines doubled', async () => {
    const [page = ''] = await extract('pdf/fake-bold-lines.pdf');
    const got = lines(page);
    assert.ok(got.includes('石炭井矿务局工人俱乐部记事石炭井矿务局工人俱乐部记事'));
    assert.ok(got.includes('1965 年冬1965 年冬'));
    assert.ok(got.includes('放映员老周说：“研究研究，再加一场。”放映员老周说：“研究研究，再加一场。”'));
    assertParagraphsPresent([page], readExpected('pdf/fake-bold-lines.expected.txt'), (p) => /记事|年冬|年春|老周/.test(p));
  });

  test('letter-spaced-justified: spaces between Han characters, digits and Latin words', async () => {
    const [page = ''] = await extract('pdf/letter-spaced-justified.pdf');
    assert.match(page, /^大 武 口 区 政 协 把 文 史 资 料/m);
    assert.match(page, /稿 件 36 篇、老 照 片 120 余 张/);
    assert.ok(page.includes('2024 年 9 月 20 日'));
    assert.ok(page.includes('联络员 247名'));
    assert.ok(page.includes('培训 1000 余人次'));
    assert.ok(page.includes('使用 Meilisearch 1.x 检索 PDF 文件'));
    assertParagraphsPresent([page], readExpected('pdf/letter-spaced-justified.expected.txt'));
  });

  test('two-column-out-of-order: stream order is right column, left column, band, captions, headline', async () => {
    const [page = ''] = await extract('pdf/two-column-out-of-order.pdf');
    const at = (s: string): number => squeeze(page).indexOf(s);
    assert.ok(at('放电影的日子') < at('石炭井的工人俱乐部建在'));
    assert.ok(at('石炭井的工人俱乐部建在') < at('本版文字据老矿工口述整理'));
    assert.ok(at('本版文字据老矿工口述整理') < at('工人俱乐部旧址'));
    assert.equal(lines(page).at(-1), '贺兰山下的工人俱乐部');
    assertParagraphsPresent([page], readExpected('pdf/two-column-out-of-order.expected.txt'));
  });

  test('font-without-tounicode: no usable text', async () => {
    const [page = ''] = await extract('pdf/font-without-tounicode.pdf');
    assert.ok(page.trim().length > 0, 'pdf.js still reports glyphs');
    assert.doesNotMatch(page, /\p{Script=Han}/u);
    assert.equal(readExpected('pdf/font-without-tounicode.expected.txt'), '');
  });

  test('gbk-euc-h-nonembedded: Chinese with cMapUrl, nothing without', async () => {
    const [withCMaps = ''] = await extract('pdf/gbk-euc-h-nonembedded.pdf');
    assert.ok(withCMaps.startsWith('汝箕沟矿区见闻\n'));
    assert.ok(withCMaps.includes('舊時礦工寫信回家'));
    assertParagraphsPresent([withCMaps], readExpected('pdf/gbk-euc-h-nonembedded.expected.txt'));
    const [withoutCMaps = ''] = await extract('pdf/gbk-euc-h-nonembedded.pdf', false);
    assert.equal(withoutCMaps.trim(), '');
  });

  test('unigb-ucs2-multipage: running header and folio on every page', async () => {
    const pages = await extract('pdf/unigb-ucs2-multipage.pdf');
    pages.forEach((page, i) => {
      const got = lines(page);
      assert.equal(got[0], '石炭井印迹 · 第二辑');
      assert.equal(got.at(-1), `— ${i + 1} —`);
    });
    assertParagraphsPresent(pages, readExpected('pdf/unigb-ucs2-multipage.expected.txt'));
  });

  test('newspaper-dawukou-2024: the shared sample’s artifacts', async () => {
    const [page = ''] = await extract('pdf/newspaper-dawukou-2024.pdf');
    const got = lines(page);
    assert.equal(got[0], '夯实政协之“基”，履职尽责能力', 'section 5 comes first, as in the sample');
    for (const artifact of [
      '时光为笔时光为笔，，书写忠诚履职的真挚情怀书写忠诚履职的真挚情怀；；',
      '村居村居 5252 次次',
      '1414..88 万元万元',
      '翻开翻开20242024 年的履职成绩单',
      '大 武 口 区 政 协 把 牢 人 民 政 协',
      '捐 资 助 学 等 社 会 公 益 活 动 ，资 助 家 庭 困 难 学 生、老 年 人',
      '2024 年 11 月 21 日 ，大 武 口 区 区 长 刘 强（左 四）调 研 重 点 项 目',
      '培训 1000 余人次',
      '开展服务基层活动43次',
      '将市、区两级 247名',
    ]) {
      assert.ok(page.includes(artifact), artifact);
    }
    assert.ok(got.includes('大武口区政协主动适应新时代'), 'lines stay broken mid-sentence');
    const at = (s: string): number => page.indexOf(s);
    assert.ok(at('2024 年 8 月 8 日') < at('政协之“政”是政治之“政”'), 'captions 1-4 sit between the sections');
    assert.ok(at('气正的良好政治生态。') < at('凝心聚力促发展 奋楫扬帆开新局'), 'headline after the body');
    assert.ok(at('本报记者 罗 鸣 文/图') < at('时光为笔'), 'byline before the lead');
    assert.equal(got.at(-1), '2024年12月6日，大武口区政协走访“委员会客室”。');
    assertParagraphsPresent([page], readExpected('pdf/newspaper-dawukou-2024.expected.txt'), (p) =>
      readExpected('pdf/newspaper-dawukou-2024.expected.txt').split('\n\n').slice(3, 10).includes(p),
    );
    assert.ok(fs.readFileSync(path.join(fixturesRoot, 'demo/newspaper-dawukou-2024.pdf')).equals(fs.readFileSync(path.join(fixturesRoot, 'pdf/newspaper-dawukou-2024.pdf'))));
  });

  test('demo PDFs: expected text matches, one page in traditional script', async () => {
    const excerpt = await extract('demo/shitanjing-yinji-excerpt.pdf');
    assertParagraphsPresent(excerpt, readExpected('demo/shitanjing-yinji-excerpt.expected.txt'));
    assert.ok(excerpt[5]?.includes('父親、母親大人膝下：'));
    assert.ok(excerpt[5]?.includes('兒自去歲來到寧夏石炭井礦區'));
    const street = await extract('demo/dawukou-laojie-yijiu.pdf');
    assertParagraphsPresent(street, readExpected('demo/dawukou-laojie-yijiu.expected.txt'));
  });
});

describe('text and demo fixtures', () => {
  test('every transcription decodes to the expected text', async () => {
    const { default: iconv } = await import('iconv-lite');
    const expected = readExpected('text/transcription.expected.txt');
    const read = (name: string): Buffer => fs.readFileSync(path.join(fixturesRoot, 'text', name));
    assert.equal(read('transcription-utf8.txt').toString('utf8'), expected);
    assert.deepEqual([...read('transcription-utf8-bom.txt').subarray(0, 3)], [0xef, 0xbb, 0xbf]);
    assert.equal(read('transcription-utf8-bom.txt').subarray(3).toString('utf8'), expected);
    assert.deepEqual([...read('transcription-utf16le-bom.txt').subarray(0, 2)], [0xff, 0xfe]);
    assert.equal(read('transcription-utf16le-bom.txt').subarray(2).toString('utf16le'), expected);
    assert.deepEqual([...read('transcription-utf16be-bom.txt').subarray(0, 2)], [0xfe, 0xff]);
    assert.equal(iconv.decode(read('transcription-utf16be-bom.txt').subarray(2), 'utf16-be'), expected);
    const gb = read('transcription-gb18030.txt');
    assert.equal(iconv.decode(gb, 'gb18030'), expected);
    // 𠀀 (U+20000) has no GBK code: GB18030 writes it as a four-byte sequence, which a
    // strict GBK (CP936) reader cannot decode. (iconv-lite's and WHATWG's "gbk" are
    // lenient and accept GB18030, so the check is on the bytes.)
    const fourByte = iconv.encode('𠀀', 'gb18030');
    assert.equal(fourByte.length, 4);
    assert.ok(gb.includes(fourByte));
    assert.ok(expected.includes('䶮') && expected.includes('𠀀') && expected.includes('父母親大人膝下'));
  });

  test('demo manifest lists every demo file with Dublin Core fields', () => {
    const manifest: unknown = JSON.parse(readExpected('demo/manifest.json'));
    assert.ok(typeof manifest === 'object' && manifest !== null && 'documents' in manifest && Array.isArray(manifest.documents));
    const files = new Set(fs.readdirSync(path.join(fixturesRoot, 'demo')));
    for (const doc of manifest.documents as { file: string; collection?: string; collectionTitle?: string; metadata?: Record<string, unknown> }[]) {
      assert.ok(doc.collection && doc.collectionTitle, `${doc.file} lacks its collection`);
      for (const field of ['title', 'creator', 'publisher', 'date', 'type', 'language', 'description', 'subject', 'coverage']) {
        const value = doc.metadata?.[field];
        assert.ok(typeof value === 'string' && value !== '', `${doc.file} lacks Dublin Core ${field}`);
      }
      assert.ok(files.has(String(doc.file)), `${String(doc.file)} is listed but missing`);
    }
  });
});
