import { test } from 'node:test';
import assert from 'node:assert/strict';
import { characterCode } from '../../src/search/character-codes.ts';

const codeOf = (ch: string) => characterCode(ch.codePointAt(0)!);

test('common characters, ASCII and Chinese punctuation have three-letter codes; others four or five after y or z', () => {
  for (const ch of ['石', '炭', '井', '矿', '迹', '龙', '齄', '，', '。', '《', '—', '…', 'a', '1', '%', ' ']) {
    assert.match(codeOf(ch), /^[a-x][a-z]{2}$/, ch);
  }
  assert.match(codeOf('礦'), /^[a-x][a-z]{2}$/, 'CJK beyond GB 2312 while codes last');
  assert.match(codeOf('\u9fa5'), /^y[a-z]{4}$/, 'the end of the CJK block is past the last short code');
  assert.match(codeOf('𠀀'), /^y[a-z]{4}$/);
  assert.match(characterCode(0x10fffd), /^z[a-z]{5}$/);
});

test('every code point has its own code, and no code begins another (pairs and trigrams read back one way)', () => {
  const seen = new Map<string, number>();
  const points: number[] = [];
  for (let cp = 0; cp < 0x10000; cp++) points.push(cp);
  for (let cp = 0x10000; cp <= 0x10ffff; cp += 97) points.push(cp);
  points.push(0x10ffff, 0x20000, 0x2a6d6, 26 ** 4 - 1, 26 ** 4);
  for (const cp of points) {
    const code = characterCode(cp);
    assert.match(code, /^[a-z]+$/);
    const other = seen.get(code);
    assert.ok(other === undefined || other === cp, `U+${cp.toString(16)} and U+${other?.toString(16)} share ${code}`);
    seen.set(code, cp);
  }
  // Prefix-free: a code's length follows from its first letter.
  for (const code of seen.keys()) assert.equal(code.length, code[0] === 'z' ? 6 : code[0] === 'y' ? 5 : 3, code);
  assert.equal(characterCode(0x4e00), characterCode(0x4e00), 'the same code every time');
});
