import { test } from 'node:test';
import assert from 'node:assert/strict';
import { normalizeEllipsis } from '../../ingest/clean-rules/ellipsis-form.ts';
import { cleanPageText, cleanText } from '../../ingest/clean.ts';

test('the PDF ellipsis ⋯⋯ (U+22EF) becomes ……', () => {
  assert.equal(normalizeEllipsis('⋯⋯'), '……');
  assert.equal(normalizeEllipsis('他说：“我们⋯⋯”'), '他说：“我们……”');
  assert.equal(normalizeEllipsis('等等⋯'), '等等…');
});

test('a single ⋯ in mathematics between Latin or digits stays', () => {
  assert.equal(normalizeEllipsis('a1 + a2 + ⋯ + an'), 'a1 + a2 + ⋯ + an');
  assert.equal(normalizeEllipsis('1,2,⋯,n'), '1,2,⋯,n');
});

test('a line of ⋯⋯ is its own paragraph after clean-up, as …… is', () => {
  assert.equal(cleanText('彰显了优良传统。\n⋯⋯\n2024年，在自治区政协指导下，'), '彰显了优良传统。\n……\n2024年，在自治区政协指导下，');
  assert.equal(cleanPageText('正文第一段结束了。\n⋯⋯\n正文第二段。').body, '正文第一段结束了。\n……\n正文第二段。');
});
