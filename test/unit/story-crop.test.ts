import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { cropImage } from '../../ingest/image-prep.ts';
import { FIXTURES } from '../support/harness.ts';

const scan = fs.readFileSync(path.join(FIXTURES, 'scans', 'scan-simplified.jpg'));

test('a region of a page becomes a webp of that region', async () => {
  const out = await cropImage(scan, { x: 100, y: 50, w: 400, h: 120 });
  assert.equal(out.webp.subarray(8, 12).toString('latin1'), 'WEBP');
  assert.deepEqual([out.width, out.height], [400, 120]);
});

test('a region past the edge is clamped to the image; a large picture is scaled to the longest side asked for', async () => {
  const whole = await cropImage(scan, null, { maxSide: 300 });
  assert.equal(Math.max(whole.width, whole.height), 300);
  const full = await cropImage(scan, null, { maxSide: 100_000 });
  const edge = await cropImage(scan, { x: full.width - 50, y: 0, w: 500, h: 40 }, { maxSide: 100_000 });
  assert.deepEqual([edge.width, edge.height], [50, 40]);
});
