import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { PageLayout } from '../../src/catalogue/types.ts';
import { quoteRegion } from '../../src/stories/quote-region.ts';

/** Two printed lines of 20-unit characters; the page image is twice the layout's size. */
function page(): { layout: PageLayout; hasImage: boolean; imageWidth: number; imageHeight: number } {
  const lines = ['石炭井矿区的“太西煤”', '工人俱乐部放电影'];
  let chars = '';
  const boxes: number[] = [];
  lines.forEach((line, row) => {
    [...line].forEach((ch, i) => {
      chars += ch;
      boxes.push(50 + i * 20, 100 + row * 30, 20, 20);
    });
    if (row < lines.length - 1) {
      chars += '\n';
      boxes.push(0, 0, 0, 0);
    }
  });
  return { layout: { width: 500, height: 700, chars, boxes }, hasImage: true, imageWidth: 1000, imageHeight: 1400 };
}

test('a quote on one line: its line, scaled to the image, with a margin of most of a line', () => {
  // 工人俱乐部: x 50..150, y 130..150 in the layout; ×2 → 100..300, 260..300; margin 0.8 × 40 = 32.
  assert.deepEqual(quoteRegion(page(), '工人俱乐部'), { x: 68, y: 228, w: 264, h: 104 });
});

test('a quote across a line break, in the other script, with its own quotation marks', () => {
  const region = quoteRegion(page(), '礦區的“太西煤”工人');
  assert.ok(region);
  assert.equal(region.y, 200 - 32, 'starts on the first line');
  assert.equal(region.y + region.h, 300 + 32, 'ends on the second');
});

test('no region when the quote is not on the page, or the page has no image or no layout', () => {
  assert.equal(quoteRegion(page(), '大武口'), null);
  assert.equal(quoteRegion({ ...page(), hasImage: false }, '工人俱乐部'), null);
  assert.equal(quoteRegion({ ...page(), layout: null }, '工人俱乐部'), null);
});
