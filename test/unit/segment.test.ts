import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cleanPageText } from '../../ingest/clean.ts';
import { findTitleBlock, formatByline, formatHeadline, isByline, isCaption, isDek, separateCaptions, type SegmentLine } from '../../ingest/segment.ts';

const BODY = [
  '大武口区政协始终坚持以政治建设为统',
  '领，坚决贯彻落实党中央重大决策部署和自',
  '治区党委、石嘴山市委、大武口区委工作要',
  '求，确保政协履职与党委中心工作同频共振。',
  '',
  '深化党纪学习教育，制定重点任务清单，',
  '举办专题学习读书班，开展专题学习和交流',
  '研讨 18次，组织观看警示教育片，以案为鉴，',
  '持续营造风清气正的良好政治生态。',
];

/** Lines as `cleanPageText` hands them to segmentation (only trimming matters for these tests). */
function segmentLines(text: string): SegmentLine[] {
  return text.split('\n').map((raw) => ({ raw, text: raw.replace(/\s+/g, '') }));
}

test('title block: headline, dek and byline that came out after the body (as in the sample)', () => {
  const page = [...BODY, ' 凝心聚力促发展 奋楫扬帆开新局', '——大武口区政协2024年工作亮点回眸', '', '本报记者 罗 鸣 文/图', '', '时光为笔，书写忠诚履职的真挚情怀。'].join('\n');
  const block = findTitleBlock(segmentLines(page));
  assert.equal(block.headline, '凝心聚力促发展 奋楫扬帆开新局');
  assert.equal(block.dek, '——大武口区政协2024年工作亮点回眸');
  assert.equal(block.byline, '本报记者 罗鸣 文/图');
  assert.deepEqual([...block.lineIndexes].sort((a, b) => a - b), [9, 10, 12]);
});

test('title block: headline and byline at the top, no dek', () => {
  const page = ['石炭井的记忆', '', '记者 张三 李四 摄', '', ...BODY].join('\n');
  const block = findTitleBlock(segmentLines(page));
  assert.deepEqual([block.headline, block.dek, block.byline], ['石炭井的记忆', null, '记者 张三 李四 摄']);
});

test('title block: an anchorless headline at the end or the start of the page', () => {
  assert.equal(findTitleBlock(segmentLines([...BODY, '', '石炭井的记忆'].join('\n'))).headline, '石炭井的记忆');
  assert.equal(findTitleBlock(segmentLines(['石炭井的记忆', '', ...BODY].join('\n'))).headline, '石炭井的记忆');
});

test('title block: a byline alone between blank lines, but not a body line that starts with 记者', () => {
  const alone = findTitleBlock(segmentLines(['本报记者 罗 鸣', '', ...BODY].join('\n')));
  assert.deepEqual([alone.headline, alone.dek, alone.byline], [null, null, '本报记者 罗鸣']);
  const inBody = ['上一段写到这里。', '记者从大武口区政协获悉', '今年共开展活动四十余次。'].join('\n');
  assert.equal(findTitleBlock(segmentLines(inBody)).byline, null);
});

test('title block: plain body text has none', () => {
  const block = findTitleBlock(segmentLines(BODY.join('\n')));
  assert.deepEqual([block.headline, block.dek, block.byline, block.lineIndexes.size], [null, null, null, 0]);
});

test('title block: a continuation fragment or list item is not a headline or dek', () => {
  const fragment = ['发挥区政协文化艺术发展促进会', '', '作用，依托春之声艺术团、政协书画', '院、美术家协会等社团组织，开展庆祝'].join('\n');
  assert.equal(findTitleBlock(segmentLines(fragment)).headline, null);
  assert.equal(isDek('——深入村居宣讲党的二十届三中全会精神，开展“四下基层”活动，提出对策建议。'), false);
  assert.equal(isDek('——大武口区政协2024年工作亮点回眸'), true);
});

test('byline: recognised by role or credit, not by a sentence that mentions a reporter', () => {
  for (const line of ['本报记者罗鸣文/图', '记者张三', '通讯员李四', '本报通讯员王五摄', '文/张三图/李四']) assert.equal(isByline(line), true, line);
  for (const line of ['记者了解到，大武口区政协今年开展活动。', '政协委员接受记者采访', '大武口区政协']) assert.equal(isByline(line), false, line);
});

test('byline: one space between role, name and credit; letter-spaced names closed up', () => {
  assert.equal(formatByline('本报记者 罗 鸣 文/图'), '本报记者 罗鸣 文/图');
  assert.equal(formatByline('本报记者罗鸣文/图'), '本报记者 罗鸣 文/图');
  assert.equal(formatByline(' 记者  张三  李四 摄 '), '记者 张三 李四 摄');
  assert.equal(formatByline('本报记者 罗 鸣 通讯员 张 三'), '本报记者 罗鸣 通讯员 张三');
});

test('headline: a phrase gap stays one space, letter-spacing and number spacing go', () => {
  assert.equal(formatHeadline(' 凝心聚力促发展 奋楫扬帆开新局'), '凝心聚力促发展 奋楫扬帆开新局');
  assert.equal(formatHeadline('凝 心 聚 力 促 发 展   奋 楫 扬 帆 开 新 局'), '凝心聚力促发展 奋楫扬帆开新局');
  assert.equal(formatHeadline('大武口区政协 2024 年工作回眸'), '大武口区政协2024年工作回眸');
  assert.equal(formatHeadline('石 炭 井 印 迹'), '石炭井印迹');
});

test('captions: dated, marked or with positions in the picture, and short', () => {
  const captions = [
    '2024年9月20日，大武口区政协机关开展主题党日活动。',
    '2024年11月21日，大武口区区长刘强（左四）调研重点项目建设情况。',
    '大武口区政协党组书记、主席周学斌（前排左二）调研民生实事办理情况。',
    '大武口区委书记汤瑞（右三）调研重点提案办理情况。',
    '图为石炭井工业文旅影视小镇。',
    '▲委员视察辖区企业。',
    '1958年6月，石炭井矿区开工建设。',
  ];
  for (const caption of captions) assert.equal(isCaption(caption), true, caption);
});

test('captions: body paragraphs are not captions', () => {
  const body = [
    '2024年，在自治区政协、石嘴山市政协大力指导和大武口区委坚强领导下，大武口区政协以铸牢中华民族共同体意识为主线，围绕中心，服务大局，为推进大武口区经济社会高质量发展作出积极贡献。',
    '2024年8月8日，大武口区政协开展活动。活动持续一天。会后委员们座谈交流。',
    '大武口区政协机关开展主题党日活动。',
    '落实政协之“责”，服务为民初心更加笃定。',
  ];
  for (const paragraph of body) assert.equal(isCaption(paragraph), false, paragraph);
});

test('captions: separated from the body, both in page order', () => {
  const paragraphs = ['正文一。', '2024年9月3日，委员调研提案办理情况。', '正文二。', '2024年12月6日，大武口区政协走访“委员会客室”。'];
  assert.deepEqual(separateCaptions(paragraphs), {
    captions: ['2024年9月3日，委员调研提案办理情况。', '2024年12月6日，大武口区政协走访“委员会客室”。'],
    body: ['正文一。', '正文二。'],
  });
});

test('cleanPageText: structure comes out, the body keeps paragraphs and loses captions', () => {
  const page = [
    ...BODY,
    '',
    '2024 年 9 月 20 日，大武口区政协机关开',
    '展主题党日活动。',
    ' 凝心聚力促发展 奋楫扬帆开新局',
    '——大武口区政协2024年工作亮点回眸',
    '',
    '本报记者 罗 鸣 文/图',
    '',
    '时光为笔时光为笔，，书写忠诚履职的真挚情怀书写忠诚履职的真挚情怀。。',
  ].join('\n');
  assert.deepEqual(cleanPageText(page), {
    headline: '凝心聚力促发展 奋楫扬帆开新局',
    dek: '——大武口区政协2024年工作亮点回眸',
    byline: '本报记者 罗鸣 文/图',
    captions: ['2024年9月20日，大武口区政协机关开展主题党日活动。'],
    body: [
      '大武口区政协始终坚持以政治建设为统领，坚决贯彻落实党中央重大决策部署和自治区党委、石嘴山市委、大武口区委工作要求，确保政协履职与党委中心工作同频共振。',
      '深化党纪学习教育，制定重点任务清单，举办专题学习读书班，开展专题学习和交流研讨18次，组织观看警示教育片，以案为鉴，持续营造风清气正的良好政治生态。',
      '时光为笔，书写忠诚履职的真挚情怀。',
    ].join('\n'),
  });
});

test('cleanPageText: empty and whitespace-only pages give an empty result', () => {
  for (const raw of ['', '\n\n', '   \n \u3000 ']) {
    assert.deepEqual(cleanPageText(raw), { headline: null, dek: null, byline: null, captions: [], body: '' });
  }
});
