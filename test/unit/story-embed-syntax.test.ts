import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatEmbed, parseEmbedAt, parseRegion, type EmbedParse } from '../../src/stories/embed-syntax.ts';

function ok(parse: EmbedParse | null) {
  assert.ok(parse, 'an embed starts here');
  assert.ok(parse.ok, `parsed without a problem: ${parse.ok ? '' : parse.problem}`);
  return parse;
}

function problem(src: string): string {
  const parse = parseEmbedAt(src, 0);
  assert.ok(parse, 'an embed starts here');
  assert.ok(!parse.ok, 'the embed is reported broken');
  return parse.problem;
}

test('document and page alone', () => {
  const p = ok(parseEmbedAt('{{page 3f9a0c12be4d 12}}', 0));
  assert.deepEqual(p.embed, { documentId: '3f9a0c12be4d', pageNumber: 12, region: null, quote: null });
  assert.equal(p.end, '{{page 3f9a0c12be4d 12}}'.length);
});

test('region and a quote with spaces, in any order, found in the middle of text', () => {
  const src = '前文 {{page 3f9a0c12be4d 2 quote="煤是 从山里 背出来的" region=10,20,300,40}} 后文';
  const p = ok(parseEmbedAt(src, 3));
  assert.deepEqual(p.embed, { documentId: '3f9a0c12be4d', pageNumber: 2, region: { x: 10, y: 20, w: 300, h: 40 }, quote: '煤是 从山里 背出来的' });
  assert.equal(src.slice(p.end), ' 后文');
});

test('escaped quotation marks and backslashes inside a quote; closing braces inside a quote are text', () => {
  const p = ok(parseEmbedAt('{{page abcdef 1 quote="他说：\\"到矿上去\\"，路径 C:\\\\煤 }} 不是结尾"}}', 0));
  assert.equal(p.embed.quote, '他说："到矿上去"，路径 C:\\煤 }} 不是结尾');
});

test('Chinese curly quotes as an input method types them', () => {
  const p = ok(parseEmbedAt('{{page abcdef 1 quote=“俱乐部门前的露天电影”}}', 0));
  assert.equal(p.embed.quote, '俱乐部门前的露天电影');
});

test('an embed may wrap over lines; surrounding whitespace of a quote is dropped', () => {
  const p = ok(parseEmbedAt('{{page abcdef 4\n  quote="  一九六五年  "\n}}', 0));
  assert.equal(p.embed.quote, '一九六五年');
  assert.equal(p.embed.pageNumber, 4);
});

test('formatEmbed writes what parseEmbedAt reads back', () => {
  const embed = { documentId: 'abcdef012345', pageNumber: 7, region: { x: 0, y: 5, w: 10, h: 20 }, quote: '引号"与\\反斜杠' };
  assert.deepEqual(ok(parseEmbedAt(formatEmbed(embed), 0)).embed, embed);
});

test('no embed starts where the opening is absent or glued to a word', () => {
  assert.equal(parseEmbedAt('{{pages abc 1}}', 0), null);
  assert.equal(parseEmbedAt('{{page}}', 0), null);
  assert.equal(parseEmbedAt('text {{page abc 1}}', 0), null);
});

test('bad syntax is named, never guessed', () => {
  assert.equal(problem('{{page }}'), 'missing-document');
  assert.equal(problem('{{page ABC-DEF 2}}'), 'bad-document');
  assert.equal(problem('{{page abcdef}}'), 'missing-page');
  assert.equal(problem('{{page abcdef 0}}'), 'bad-page');
  assert.equal(problem('{{page abcdef 二}}'), 'bad-page');
  assert.equal(problem('{{page abcdef 2 region=1,2,3}}'), 'bad-region');
  assert.equal(problem('{{page abcdef 2 region=1,2,0,4}}'), 'bad-region');
  assert.equal(problem('{{page abcdef 2 size=big}}'), 'unknown-attribute');
  assert.equal(problem('{{page abcdef 2 quote="a" quote="b"}}'), 'duplicate-attribute');
  assert.equal(problem('{{page abcdef 2 extra}}'), 'unexpected-text');
  assert.equal(problem('{{page abcdef 2'), 'unterminated-embed');
});

test('a broken embed ends at its closing braces, or at the end of its line when it has none', () => {
  const withClose = parseEmbedAt('{{page abcdef 2 size=big}} 后文', 0);
  assert.ok(withClose && !withClose.ok);
  assert.equal(withClose.source, '{{page abcdef 2 size=big}}');
  const unterminated = parseEmbedAt('{{page abcdef 2 quote="没有结束}}\n下一段', 0);
  assert.ok(unterminated && !unterminated.ok);
  assert.equal(unterminated.problem, 'unterminated-quote');
  assert.equal(unterminated.source, '{{page abcdef 2 quote="没有结束}}');
});

test('parseRegion accepts x,y,w,h with a positive size only', () => {
  assert.deepEqual(parseRegion(' 1,2,3,4 '), { x: 1, y: 2, w: 3, h: 4 });
  assert.equal(parseRegion('1,2,3'), null);
  assert.equal(parseRegion('-1,2,3,4'), null);
  assert.equal(parseRegion('1,2,3,0'), null);
});
