import { test } from 'node:test';
import assert from 'node:assert/strict';
import { orderPageText, type PositionedRun } from '../../ingest/reading-order.ts';
import { advanceWeight } from '../../ingest/page-glyphs.ts';

const PAGE = { width: 600, height: 800 };

/** A horizontal run as a PDF would place it: baseline at (x, y) from the top, advance from usual widths. */
function run(text: string, x: number, y: number, size = 10, font = 'body'): PositionedRun {
  const length = Array.from(text).reduce((sum, ch) => sum + advanceWeight(ch), 0) * size;
  return { text, x, y, dirX: 1, dirY: 0, length, size, vertical: false, font };
}

/** Lines of a column, one run each, `pitch` points apart. */
function column(lines: string[], x: number, top: number, pitch = 16, size = 10): PositionedRun[] {
  return lines.map((line, i) => run(line, x, top + i * pitch, size));
}

function text(runs: PositionedRun[]): string {
  return orderPageText({ ...PAGE, runs }).chars;
}

const lines = (chars: string) => chars.split('\n').filter((line) => line.trim() !== '').map((line) => line.trim());

test('single column: top to bottom, whatever order the file draws the lines in', () => {
  const runs = column(['第一行文字内容', '第二行文字内容', '第三行文字内容'], 50, 100).reverse();
  assert.deepEqual(lines(text(runs)), ['第一行文字内容', '第二行文字内容', '第三行文字内容']);
});

test('two columns: headline drawn last comes first, left column before right, a full-width line splits the bands', () => {
  // Columns 20 ems wide with a 2-em gutter, as printed.
  const line = (label: string) => `${label}${'文'.repeat(20 - label.length)}`;
  const left1 = column([line('左一甲'), line('左一乙'), line('左一丙')], 50, 100);
  const right1 = column([line('右一甲'), line('右一乙'), line('右一丙')], 270, 100);
  const note = [run('通栏说明横跨两栏中间的栏缝通栏说明横跨两栏', 160, 170)];
  const left2 = column([line('左二甲'), line('左二乙')], 50, 200);
  const right2 = column([line('右二甲'), line('右二乙')], 270, 200);
  const headline = [run('报纸的大标题', 188, 60, 24)];
  const ordered = lines(text([...right1, ...right2, ...left2, ...note, ...left1, ...headline])).map((l) => l.replace(/文+$/u, ''));
  assert.deepEqual(ordered, [
    '报纸的大标题', '左一甲', '左一乙', '左一丙', '右一甲', '右一乙', '右一丙',
    '通栏说明横跨两栏中间的栏缝通栏说明横跨两栏', '左二甲', '左二乙', '右二甲', '右二乙',
  ]);
});

test('three columns are read left to right', () => {
  const runs = [
    ...column(['丙栏一', '丙栏二', '丙栏三'], 400, 100),
    ...column(['甲栏一', '甲栏二', '甲栏三'], 50, 100),
    ...column(['乙栏一', '乙栏二', '乙栏三'], 225, 100),
  ];
  assert.deepEqual(lines(text(runs)), ['甲栏一', '甲栏二', '甲栏三', '乙栏一', '乙栏二', '乙栏三', '丙栏一', '丙栏二', '丙栏三']);
});

test('captions under two photos at different heights: left one first, each a paragraph of its own', () => {
  const runs = [
    ...column(['左栏正文第一行文字', '左栏正文第二行文字'], 50, 100),
    ...column(['右栏正文第一行文字', '右栏正文第二行文字'], 300, 100),
    run('右边照片的说明（示意图）', 300, 300, 9),
    run('左边照片的说明（示意图）', 50, 320, 9),
  ];
  const chars = text(runs);
  assert.deepEqual(lines(chars).slice(-2), ['左边照片的说明（示意图）', '右边照片的说明（示意图）']);
  assert.match(chars, /左边照片的说明（示意图）\n\n右边照片的说明/u);
});

test('fake bold: a run drawn twice 0.3 pt apart keeps one copy; real repeats survive', () => {
  const runs = [
    run('时光为笔', 50, 100), run('时光为笔，', 50.3, 100), run('，书写情怀', 90.3, 100), run('书写情怀；', 100.3, 100),
    run('老矿工连声说谢谢，人人天天哈哈哈', 50, 120),
    run('14', 50, 140), run('14.', 50.3, 140), run('.8', 61, 140), run('8', 64.1, 140),
  ];
  assert.deepEqual(lines(text(runs)), ['时光为笔，书写情怀；', '老矿工连声说谢谢，人人天天哈哈哈', '14.8']);
});

test('fake bold: a whole line drawn twice keeps one copy', () => {
  const runs = [run('石炭井矿务局工人俱乐部记事', 50, 100, 18), run('石炭井矿务局工人俱乐部记事', 50.3, 100, 18)];
  assert.deepEqual(lines(text(runs)), ['石炭井矿务局工人俱乐部记事']);
});

test('paragraphs: a wider gap or a change of type size gives a blank line, an indented first line an ideographic indent', () => {
  const runs = [
    run('小标题', 50, 80, 14),
    run('第一段的第一行缩进两个字文字文字', 70, 110),
    run('第一段的第二行顶格排到右边文字文字', 50, 126),
    run('第一段末行。', 50, 142),
    run('第二段的第一行缩进两个字文字文字', 70, 170),
    run('第二段的第二行顶格排到右边文字文字', 50, 186),
  ];
  assert.equal(
    text(runs),
    '小标题\n\n\u3000\u3000第一段的第一行缩进两个字文字文字\n第一段的第二行顶格排到右边文字文字\n第一段末行。\n\n' +
      '\u3000\u3000第二段的第一行缩进两个字文字文字\n第二段的第二行顶格排到右边文字文字',
  );
});

test('spaces: Latin words keep theirs; gaps between runs become one space', () => {
  const runs = [run('资料室使用', 50, 100), run('Meilisearch 1.x', 103, 100), run('检索', 183, 100)];
  assert.equal(text(runs), '资料室使用 Meilisearch 1.x 检索');
});

test('boxes: four ints per UTF-16 unit, empty for spaces and line breaks, in page pixels at scale 2 from the top', () => {
  const layout = orderPageText({ ...PAGE, runs: [run('大 𠀀', 100, 200, 10), run('口', 100, 220, 10)] });
  assert.equal(layout.chars, '大 𠀀\n口');
  assert.equal(layout.width, 1200);
  assert.equal(layout.height, 1600);
  assert.equal(layout.boxes.length, 4 * layout.chars.length);
  assert.ok(layout.boxes.every((n) => Number.isInteger(n)));
  const box = (i: number) => layout.boxes.slice(4 * i, 4 * i + 4);
  const [x, y, w, h] = box(0) as [number, number, number, number];
  assert.equal(x, 200);
  assert.ok(y < 400 && y + h > 390 && y + h <= 404, `box of 大 spans the baseline at y = 400 px: ${y}+${h}`);
  assert.ok(w > 10 && w < 40);
  assert.deepEqual(box(1), [0, 0, 0, 0]); // space
  assert.deepEqual(box(2), box(3)); // both halves of 𠀀 share its box
  assert.ok((box(2)[0] as number) > x + w);
  assert.deepEqual(box(4), [0, 0, 0, 0]); // line break
  assert.ok((box(5)[1] as number) > y, 'the lower line has a larger y');
});

test('vertical and rotated text: no crash, text kept', () => {
  const vertical: PositionedRun = { text: '竖排文字', x: 500, y: 100, dirX: 0, dirY: 1, length: 40, size: 10, vertical: true, font: 'v' };
  const rotated: PositionedRun = { text: 'ROTATED', x: 20, y: 700, dirX: 0, dirY: -1, length: 40, size: 10, vertical: false, font: 'r' };
  const mostlyVertical = orderPageText({ ...PAGE, runs: [vertical, { ...vertical, text: '第二列', x: 480 }] });
  assert.equal(mostlyVertical.chars, '竖排文字\n第二列');
  assert.equal(mostlyVertical.boxes.length, 4 * mostlyVertical.chars.length);
  const mixed = orderPageText({ ...PAGE, runs: [...column(['横排正文第一行', '横排正文第二行', '横排正文第三行'], 50, 100), vertical, rotated] });
  for (const part of ['横排正文第一行', '竖排文字', 'ROTATED']) assert.ok(mixed.chars.includes(part), part);
});

test('an empty page gives empty text and no boxes', () => {
  assert.deepEqual(orderPageText({ ...PAGE, runs: [run(' ', 10, 10)] }), { width: 1200, height: 1600, chars: '', boxes: [] });
});
