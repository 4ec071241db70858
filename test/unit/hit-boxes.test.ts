import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { PageLayout } from '../../src/catalogue/types.ts';
import { hitRegions, mergeCharacterBoxes, scaleBox } from '../../src/search/hit-boxes.ts';
import { parseQuery } from '../../src/search/query.ts';

/** A horizontal layout: each line's characters 20 units wide, lines 30 apart, starting at (100, 50). */
function horizontal(lines: string[]): PageLayout {
  let chars = '';
  const boxes: number[] = [];
  lines.forEach((line, row) => {
    [...line].forEach((ch, col) => {
      chars += ch;
      boxes.push(100 + col * 20, 50 + row * 30, 20, 20);
    });
    if (row < lines.length - 1) {
      chars += '\n';
      boxes.push(0, 0, 0, 0);
    }
  });
  return { width: 1000, height: 1400, chars, boxes };
}

test('a match on one line becomes one box covering its characters', () => {
  const layout = horizontal(['大武口区政协', '石炭井矿务局']);
  const regions = hitRegions(layout, parseQuery('政协'));
  assert.deepEqual(regions, [{ text: '政协', boxes: [{ x: 180, y: 50, w: 40, h: 20 }] }]);
});

test('a match across a line break gets one box per line, the break itself has none', () => {
  const layout = horizontal(['大武口区政', '协文史资料']);
  const regions = hitRegions(layout, parseQuery('政协'));
  assert.equal(regions.length, 1);
  assert.equal(regions[0]!.text, '政\n协');
  assert.deepEqual(regions[0]!.boxes, [{ x: 180, y: 50, w: 20, h: 20 }, { x: 100, y: 80, w: 20, h: 20 }]);
});

test('traditional queries find simplified characters on the scan, every occurrence in reading order', () => {
  const layout = horizontal(['石炭井矿区', '矿工和矿山']);
  const regions = hitRegions(layout, parseQuery('礦'));
  assert.deepEqual(regions.map((r) => r.boxes[0]), [
    { x: 160, y: 50, w: 20, h: 20 }, { x: 100, y: 80, w: 20, h: 20 }, { x: 160, y: 80, w: 20, h: 20 },
  ]);
});

test('overlapping matches of two terms are one region', () => {
  const layout = horizontal(['石炭井矿区']);
  const regions = hitRegions(layout, parseQuery('石炭 炭井'));
  assert.deepEqual(regions, [{ text: '石炭井', boxes: [{ x: 100, y: 50, w: 60, h: 20 }] }]);
});

test('vertical writing merges down a column, not across columns', () => {
  // Two columns, right to left: 石炭井 at x=200, then 矿务局 at x=170.
  const chars = '石炭井矿务局';
  const boxes = [200, 10, 20, 20, 200, 32, 20, 20, 200, 54, 20, 20, 170, 10, 20, 20, 170, 32, 20, 20, 170, 54, 20, 20];
  const regions = hitRegions({ width: 400, height: 400, chars, boxes }, parseQuery('井矿务'));
  assert.deepEqual(regions[0]!.boxes, [{ x: 200, y: 54, w: 20, h: 20 }, { x: 170, y: 10, w: 20, h: 42 }]);
});

test('no positive term, or a page without the term, gives no region', () => {
  const layout = horizontal(['石炭井']);
  assert.deepEqual(hitRegions(layout, parseQuery('-石炭井')), []);
  assert.deepEqual(hitRegions(layout, parseQuery('贺兰山')), []);
});

test('a run does not swallow the start of the next line below it', () => {
  const merged = mergeCharacterBoxes([{ x: 100, y: 50, w: 20, h: 20 }, { x: 120, y: 50, w: 20, h: 20 }, { x: 100, y: 75, w: 20, h: 20 }]);
  assert.equal(merged.length, 2);
});

test('scaleBox maps layout units to canvas pixels', () => {
  assert.deepEqual(scaleBox({ x: 100, y: 50, w: 40, h: 20 }, { width: 1000, height: 1400 }, 500, 700), { x: 50, y: 25, w: 20, h: 10 });
});

test('characters taller than wide (OCR boxes of a line) still merge along the line', () => {
  // 贺兰山 as the OCR stored them on the scan fixture: 43–44 px wide, 54 px tall, side by side.
  const merged = mergeCharacterBoxes([{ x: 548, y: 173, w: 43, h: 54 }, { x: 591, y: 173, w: 44, h: 54 }, { x: 635, y: 173, w: 44, h: 54 }]);
  assert.deepEqual(merged, [{ x: 548, y: 173, w: 131, h: 54 }]);
});
