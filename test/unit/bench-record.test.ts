import { test } from 'node:test';
import assert from 'node:assert/strict';
import { replaceSection } from '../../bench/run.ts';

const DOC = '# Benchmarks\n\nIntro.\n\n## Ingest\n\nold ingest\n\n## Search\n\nold search\nmore\n\n## OCR\n\nold ocr\n';

test('--record replaces only the section with the same title, keeping the others and their order', () => {
  const out = replaceSection(DOC, '## Search\n\nnew search\n');
  assert.equal(out, '# Benchmarks\n\nIntro.\n\n## Ingest\n\nold ingest\n\n## Search\n\nnew search\n\n## OCR\n\nold ocr\n');
});

test('a section not yet in the file is appended; the last section is replaced to the end', () => {
  assert.equal(replaceSection('# Benchmarks\n', '## Search\n\nx\n'), '# Benchmarks\n\n## Search\n\nx\n');
  assert.equal(replaceSection(DOC, '## OCR\n\nnew ocr'), DOC.replace('old ocr', 'new ocr'));
  assert.throws(() => replaceSection(DOC, 'no title'));
});
