import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cleanPageText, cleanText, dropRunningHeaders } from '../../ingest/clean.ts';
import { tidyCjkSpacing } from '../../ingest/clean-rules/cjk-spacing.ts';
import { hasDoubledPunctuation, undoubleFakeBold, undoubleLine } from '../../ingest/clean-rules/fake-bold.ts';
import { joinParagraphs, readLineStart, type PageLine } from '../../ingest/clean-rules/paragraphs.ts';
import { widenChinesePunctuation } from '../../ingest/clean-rules/punctuation-width.ts';
import { repairUnicode } from '../../ingest/clean-rules/unicode-form.ts';

const LEGITIMATE_REPEATS = ['谢谢', '人人', '天天', '家家户户', '研究研究', '哈哈哈', '一组组', '一项项', '好好学习', '高高兴兴', '讨论讨论'];

/** Each run drawn twice, as fake-bold rendering does. */
function drawTwice(runs: readonly string[]): string {
  return runs.map((run) => run + run).join('');
}

/** Each glyph drawn twice. */
function drawGlyphsTwice(text: string): string {
  return Array.from(text, (char) => char + char).join('');
}

function lines(...texts: string[]): PageLine[] {
  return texts.map((text) => ({ text: text.trim(), start: readLineStart(text) }));
}

// ── fake bold ────────────────────────────────────────────────────────────────────────────────────────────────

test('fake bold: doubled runs and punctuation undouble (sample line)', () => {
  assert.equal(cleanText('时光为笔时光为笔，，书写忠诚履职的真挚情怀书写忠诚履职的真挚情怀；；'), '时光为笔，书写忠诚履职的真挚情怀；');
});

test('fake bold: numbers drawn run by run undouble, then spacing closes up', () => {
  assert.equal(undoubleLine('慰问金慰问金 1414..88 万元万元，，').text, '慰问金 14.8 万元，');
  assert.equal(cleanText('慰问金慰问金 1414..88 万元万元，，'), '慰问金14.8万元，');
  assert.equal(cleanText('翻开翻开20242024 年的履职成绩单年的履职成绩单，，'), '翻开2024年的履职成绩单，');
});

test('fake bold: a dash drawn as its own run keeps both dashes', () => {
  assert.equal(undoubleLine('———助力—助力““百日攻坚战百日攻坚战””，，').text, '——助力“百日攻坚战”，');
});

test('fake bold: a repeat inside a doubled run stays (longest run wins)', () => {
  assert.equal(undoubleLine('一组组翔实的数据一组组翔实的数据、、一项项成果一项项成果。。').text, '一组组翔实的数据、一项项成果。');
});

test('fake bold: legitimate repeats inside a run-doubled line survive', () => {
  for (const word of LEGITIMATE_REPEATS) {
    const doubled = drawTwice(['大家', word, '，', '继续', '。']);
    assert.equal(undoubleFakeBold([doubled])[0], `大家${word}，继续。`, word);
  }
});

test('fake bold: a glyph-doubled page undoubles glyph by glyph, keeping reduplications', () => {
  for (const word of LEGITIMATE_REPEATS) {
    const page = [drawGlyphsTwice(`我们${word}，好吗？`), drawGlyphsTwice('第二行也是粗体。')];
    assert.deepEqual(undoubleFakeBold(page), [`我们${word}，好吗？`, '第二行也是粗体。'], word);
  }
});

test('fake bold: a whole line drawn twice undoubles when the page is signalled', () => {
  const page = ['凝心聚力促发展凝心聚力促发展', '时光为笔时光为笔，，初心着墨初心着墨。。', '…………'];
  assert.deepEqual(undoubleFakeBold(page), ['凝心聚力促发展', '时光为笔，初心着墨。', '……']);
});

test('fake bold: a line repeated on the next line is dropped on a signalled page', () => {
  const page = ['书写忠诚履职的真挚情怀', '书写忠诚履职的真挚情怀', '初心着墨初心着墨，，谱写华章谱写华章。。'];
  assert.deepEqual(undoubleFakeBold(page), ['书写忠诚履职的真挚情怀', '初心着墨，谱写华章。']);
});

test('fake bold: without the signal nothing is touched, legitimate repeats included', () => {
  for (const word of LEGITIMATE_REPEATS) {
    assert.equal(cleanText(`我们${word}，好好干。`), `我们${word}，好好干。`, word);
  }
  const page = ['凝心聚力促发展凝心聚力促发展', '大武口区区长刘强调研。', '谢谢谢谢'];
  assert.deepEqual(undoubleFakeBold(page), page);
});

test('fake bold: on a signalled page, unsignalled lines with legitimate repeats stay', () => {
  const page = ['时光为笔时光为笔，，初心着墨初心着墨。。', '研究研究', '家家户户', '大武口区区长刘强调研，人人参与，天天讨论讨论。'];
  assert.deepEqual(undoubleFakeBold(page).slice(1), page.slice(1));
});

test('fake bold: a stray doubled comma on an ordinary line is not enough', () => {
  assert.equal(hasDoubledPunctuation('我们研究研究，，好吗'), true);
  assert.equal(cleanText('我们研究研究，，好吗'), '我们研究研究，，好吗');
});

// ── spaces ───────────────────────────────────────────────────────────────────────────────────────────────────

test('spaces: letter-spaced Chinese closes up', () => {
  assert.equal(tidyCjkSpacing('大 武 口 区 政 协 把 牢 人 民 政 协'), '大武口区政协把牢人民政协');
  assert.equal(tidyCjkSpacing('捐 资 助 学 等 社 会 公 益 活 动 ，资 助'), '捐资助学等社会公益活动，资助');
});

test('spaces: between Chinese and numbers they go', () => {
  assert.equal(tidyCjkSpacing('2024 年 8 月 8 日，'), '2024年8月8日，');
  assert.equal(tidyCjkSpacing('培训 1000 余人次'), '培训1000余人次');
  assert.equal(tidyCjkSpacing(' 1000 余人次'), '1000余人次');
  assert.equal(tidyCjkSpacing('影视服务中心 +公司'), '影视服务中心+公司');
});

test('spaces: Latin words keep theirs, also next to Chinese', () => {
  assert.equal(tidyCjkSpacing('使用 Meilisearch 1.x 检索 PDF 文件'), '使用 Meilisearch 1.x 检索 PDF 文件');
  assert.equal(tidyCjkSpacing('Hello   world'), 'Hello world');
  assert.equal(tidyCjkSpacing('123 456'), '123 456');
});

test('spaces: stray leading and trailing spaces are stripped', () => {
  assert.equal(tidyCjkSpacing(' 夯实政协之“基”，履职尽责能力 '), '夯实政协之“基”，履职尽责能力');
  assert.equal(tidyCjkSpacing('\u3000\u3000正文'), '正文');
});

// ── punctuation width ───────────────────────────────────────────────────────────────────────────────────────

test('punctuation width: ASCII marks in Chinese context become full width', () => {
  assert.equal(widenChinesePunctuation('协商,议政;建言:献策'), '协商，议政；建言：献策');
  assert.equal(widenChinesePunctuation('11个镇(街)和65个村(居)'), '11个镇（街）和65个村（居）');
  assert.equal(widenChinesePunctuation('真的吗?好!'), '真的吗？好！');
  assert.equal(widenChinesePunctuation('文件(PDF)格式'), '文件（PDF）格式');
});

test('punctuation width: numbers and Latin keep ASCII marks', () => {
  assert.equal(widenChinesePunctuation('共1,000人'), '共1,000人');
  assert.equal(widenChinesePunctuation('12:30开会'), '12:30开会');
  assert.equal(widenChinesePunctuation('Portable Document Format (PDF) file'), 'Portable Document Format (PDF) file');
  assert.equal(widenChinesePunctuation('使用 Meilisearch (PDF) 检索'), '使用 Meilisearch (PDF) 检索');
  assert.equal(widenChinesePunctuation('a, b; c: d? e!'), 'a, b; c: d? e!');
});

test('punctuation width and spacing together: no space stays beside a widened mark', () => {
  assert.equal(cleanText('活 动 , 资 助'), '活动，资助');
  assert.equal(cleanText('时间: 12:30'), '时间：12:30');
});

// ── line joining ─────────────────────────────────────────────────────────────────────────────────────────────

test('lines: a sentence broken at a line end joins without a space', () => {
  assert.deepEqual(joinParagraphs(lines('大武口区政协主动适应新时代', '政协事业新方位、新使命、新要求，', '持续加强自身建设。')), [
    '大武口区政协主动适应新时代政协事业新方位、新使命、新要求，持续加强自身建设。',
  ]);
});

test('lines: a blank line separates paragraphs only after a sentence end', () => {
  const page = lines(
    '增强工作活力，不断提升履职效能和水平，',
    '推动工作。',
    '',
    '修订完善委员活动分组、委员履职量化评价、',
    '加强政协微信公众号、委员大讲',
    '',
    '堂、“书香政协”等阵地的建设管理。',
    '',
    '健全完善“有事好商量”协商议事机制，通过',
    '镇（街）分平台，围绕“首店经济”',
    '',
    '“志愿服务”等开展专题协商调研议事活动。',
  );
  assert.deepEqual(joinParagraphs(page), [
    '增强工作活力，不断提升履职效能和水平，推动工作。',
    '修订完善委员活动分组、委员履职量化评价、加强政协微信公众号、委员大讲堂、“书香政协”等阵地的建设管理。',
    '健全完善“有事好商量”协商议事机制，通过镇（街）分平台，围绕“首店经济”“志愿服务”等开展专题协商调研议事活动。',
  ]);
});

test('lines: a short line ending a sentence ends the paragraph; a full one does not', () => {
  const page = lines(
    '落实政协之“责”，服务为民初心更加笃定。',
    '大武口区政协始终把促进民生改善作为履职的着力点，协',
    '助区委和政府破解民生事业发展难题，真心实意听民意。解民',
    '忧、惠民生。',
  );
  assert.deepEqual(joinParagraphs(page), [
    '落实政协之“责”，服务为民初心更加笃定。',
    '大武口区政协始终把促进民生改善作为履职的着力点，协助区委和政府破解民生事业发展难题，真心实意听民意。解民忧、惠民生。',
  ]);
});

test('lines: indents, list markers and ellipsis lines open paragraphs', () => {
  const page = lines(
    '第一段文字写到这里，还没有',
    '\u3000\u3000第二段由缩进开始，写到',
    '  第三段也是缩进，写到',
    '——助力“百日攻坚战”，开展',
    '一、坚持党的领导',
    '（一）加强学习，写到',
    '1.第一条，写到',
    '……',
    '最后一段。',
  );
  assert.deepEqual(joinParagraphs(page), [
    '第一段文字写到这里，还没有',
    '第二段由缩进开始，写到',
    '第三段也是缩进，写到',
    '——助力“百日攻坚战”，开展',
    '一、坚持党的领导',
    '（一）加强学习，写到',
    '1.第一条，写到',
    '……',
    '最后一段。',
  ]);
});

test('lines: a stray leading space after a sentence end opens a paragraph', () => {
  const page = lines('社会影响力和知名度。', ' 落实政协之“责”，服务为民初心更加笃定。', '大武口区政协始终把促进民生改善作为履职的着力点。');
  assert.equal(joinParagraphs(page)[1], '落实政协之“责”，服务为民初心更加笃定。');
});

test('lines: a short standalone line without closing punctuation is a subheading', () => {
  const page = lines('上一段的最后一行写到这里为止了。', '', '凝心聚力', '', '下一段的第一行写到这里为止了，', '然后接着写完。');
  assert.deepEqual(joinParagraphs(page), ['上一段的最后一行写到这里为止了。', '凝心聚力', '下一段的第一行写到这里为止了，然后接着写完。']);
});

test('lines: a full-width line standing alone at a column break still joins', () => {
  const page = lines('凝聚铸牢中华民族共同体意识的强', '大合力。', '', '发挥区政协文化艺术发展促进会', '', '作用，依托春之声艺术团、政协书画', '院、美术家协会等社团组织，开展庆祝');
  assert.equal(joinParagraphs(page)[1], '发挥区政协文化艺术发展促进会作用，依托春之声艺术团、政协书画院、美术家协会等社团组织，开展庆祝');
});

test('lines: text that is already one paragraph per line stays so (cleaning is idempotent)', () => {
  const paragraphs = [
    '修订完善委员活动分组、委员履职量化评价、“书香政协”委员读书工作办法等制度规定，将市、区两级247名政协委员划分为4个委员活动小组，下沉到11个镇（街）和65个村（居）委员基层联系点，开展服务基层活动43次。',
    '以创建“模范机关”为抓手，全面加强干部队伍建设，不断提升服务保障能力。抓好党员干部日常教育管理，落实机关党员社区“双报到”制度，开展政策宣传、志愿服务、环境整治，贴近基层，贴近群众，进一步密切党群干部关系。',
  ].join('\n');
  assert.equal(cleanText(paragraphs), paragraphs);
  assert.equal(cleanText(cleanText('大 武 口 区 政 协\n把牢定位。')), '大武口区政协把牢定位。');
});

test('lines: Latin words broken at a line end keep a space; Latin paragraphs stay apart', () => {
  assert.equal(cleanText('search with\nMeilisearch today'), 'search with Meilisearch today');
  assert.equal(cleanText('The first paragraph ends here.\n\nThe second one\nfollows.'), 'The first paragraph ends here.\nThe second one follows.');
  assert.equal(cleanText('提案视察 15\n次，'), '提案视察15次，');
});

// ── Unicode ──────────────────────────────────────────────────────────────────────────────────────────────────

test('unicode: lone surrogates become U+FFFD, pairs survive', () => {
  assert.equal(repairUnicode('石\uD800炭\uDC00井'), '石\uFFFD炭\uFFFD井');
  assert.equal(repairUnicode('𠀀字'), '𠀀字');
  assert.equal(cleanText('政\uDBFF协'), '政\uFFFD协');
});

test('unicode: NFC, Kangxi radicals, invisible characters, CR line ends', () => {
  assert.equal(repairUnicode('Cafe\u0301'), 'Café');
  assert.equal(repairUnicode('⼤武⼝区'), '大武口区');
  assert.equal(repairUnicode('政\u200B协\uFEFF'), '政协');
  assert.equal(repairUnicode('一\r\n二\r三'), '一\n二\n三');
});

// ── running headers ──────────────────────────────────────────────────────────────────────────────────────────

test('running headers: lines repeated at page edges go, page numbers included', () => {
  const bodies = ['石炭井的煤，', '大武口的路，', '贺兰山的风，', '黄河的水，'];
  const pages = bodies.map((body, n) => `石嘴山日报\n${body}写到这里。\n中间一行正文。\n另一行正文${body}\n最后一行${body}。\n- ${n + 1} -`);
  assert.deepEqual(
    dropRunningHeaders(pages),
    bodies.map((body) => `${body}写到这里。\n中间一行正文。\n另一行正文${body}\n最后一行${body}。`),
  );
});

test('running headers: a header on half the pages (odd/even headers) goes, blank lines are kept', () => {
  const pages = ['石炭井印迹\n第一页正文。\n\n第一页结尾。\n1', '第一章 煤城记忆\n第二页正文。\n第二页结尾。\n2'];
  pages.push('石炭井印迹\n第三页正文。\n第三页结尾。\n3', '第一章 煤城记忆\n第四页正文。\n第四页结尾。\n4');
  assert.deepEqual(dropRunningHeaders(pages), ['第一页正文。\n\n第一页结尾。', '第二页正文。\n第二页结尾。', '第三页正文。\n第三页结尾。', '第四页正文。\n第四页结尾。']);
});

test('running headers: body lines and single pages are left alone', () => {
  const pages = ['标题一\n正文甲。\n结尾甲。', '标题二\n正文乙。\n结尾乙。', '标题三\n正文丙。\n结尾丙。'];
  assert.deepEqual(dropRunningHeaders(pages), pages);
  assert.deepEqual(dropRunningHeaders(['石嘴山日报\n正文。']), ['石嘴山日报\n正文。']);
});

// ── robustness ───────────────────────────────────────────────────────────────────────────────────────────────

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/u;

test('robustness: any input gives well-formed NFC text and never throws', () => {
  const alphabet = ['大', '武', '口', '谢', '，', '。', '、', '“', '”', ' ', ' ', '\n', '\n\n', '1', '4', '.', 'a', 'B', '(', ')', ',', '—', '…', '\uD800', '\uDC00', '𠀀', 'e\u0301', '\u3000', '⼤'];
  let seed = 42;
  const random = (): number => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
  for (let round = 0; round < 300; round += 1) {
    const length = Math.floor(random() * 200);
    const raw = Array.from({ length }, () => alphabet[Math.floor(random() * alphabet.length)]).join('');
    for (const text of [cleanText(raw), ...Object.values(cleanPageText(raw)).flat()]) {
      if (typeof text !== 'string') continue;
      assert.doesNotMatch(text, LONE_SURROGATE, JSON.stringify(raw));
      assert.equal(text, text.normalize('NFC'), JSON.stringify(raw));
    }
  }
});

test('robustness: pathological long lines stay fast (no super-linear blow-up per page)', () => {
  const started = performance.now();
  cleanText(`${'哈'.repeat(20_000)}，，`);
  cleanText(`${'谢谢你'.repeat(5_000)}。。`);
  cleanText(Array.from({ length: 2_000 }, (_unused, index) => `第${index}行文字，，`).join('\n'));
  const elapsed = performance.now() - started;
  assert.ok(elapsed < 3_000, `${elapsed.toFixed(0)} ms`);
});
