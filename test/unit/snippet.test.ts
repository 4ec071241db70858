import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseQuery } from '../../src/search/query.ts';
import { buildSnippet, escapeHtml, matchRangesInOriginal } from '../../src/search/snippet.ts';

test('escapeHtml escapes the five special characters', () => {
  assert.equal(escapeHtml(`<a href="x">'&'</a>`), '&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
});

test('text is escaped and only <mark> is added', () => {
  const s = buildSnippet('<script>alert("石炭井")</script> & 石炭井', parseQuery('石炭井'));
  assert.equal(s.html, '&lt;script&gt;alert(&quot;<mark>石炭井</mark>&quot;)&lt;/script&gt; &amp; <mark>石炭井</mark>');
  assert.equal(s.occurrences, 2);
  assert.ok(!/<(?!\/?mark>)/.test(s.html));
});

test('a traditional query marks the simplified original, and the reverse', () => {
  assert.equal(buildSnippet('石嘴山矿务局的印迹', parseQuery('礦務局')).html, '石嘴山<mark>矿务局</mark>的印迹');
  assert.equal(buildSnippet('石嘴山礦務局的印跡', parseQuery('矿务局 印迹')).html, '石嘴山<mark>礦務局</mark>的<mark>印跡</mark>');
});

test('marks the printed characters even with spaces and line breaks inside the match', () => {
  const s = buildSnippet('到石炭\n井 去', parseQuery('石炭井'));
  assert.equal(s.html, '到<mark>石炭 井</mark> 去');
});

test('occurrences count every match on the page, beyond the passages shown', () => {
  const page = Array.from({ length: 10 }, (_, i) => `第${i}段${'文'.repeat(100)}石炭井`).join('');
  const s = buildSnippet(page, parseQuery('石炭井'), { context: 5, maxPassages: 2 });
  assert.equal(s.occurrences, 10);
  assert.equal((s.html.match(/<mark>/g) ?? []).length, 2);
  assert.deepEqual(buildSnippet(page, parseQuery('石炭井'), { maxPassages: 0 }), { html: '', occurrences: 10 });
});

test('close matches share one passage; cut ends get an ellipsis', () => {
  const page = `${'甲'.repeat(50)}石炭井乙乙石炭井${'丙'.repeat(50)}`;
  const s = buildSnippet(page, parseQuery('石炭井'), { context: 4 });
  assert.equal(s.html, '…甲甲甲甲<mark>石炭井</mark>乙乙<mark>石炭井</mark>丙丙丙丙…');
});

test('distant matches give separate passages, at most maxPassages', () => {
  const page = `石炭井${'甲'.repeat(30)}石炭井${'乙'.repeat(30)}石炭井${'丙'.repeat(30)}石炭井`;
  const s = buildSnippet(page, parseQuery('石炭井'), { context: 2, maxPassages: 3 });
  assert.equal(s.html, '<mark>石炭井</mark>甲甲… …甲甲<mark>石炭井</mark>乙乙… …乙乙<mark>石炭井</mark>丙丙…');
  assert.equal(s.occurrences, 4);
});

test('each query term gets a passage before a term already shown gets a second one', () => {
  const page = `石炭井${'甲'.repeat(30)}石炭井${'乙'.repeat(30)}大武口`;
  const s = buildSnippet(page, parseQuery('石炭井 大武口'), { context: 2, maxPassages: 2 });
  assert.equal(s.html, '<mark>石炭井</mark>甲甲… …乙乙<mark>大武口</mark>');
});

test('overlapping matches of different terms form one mark', () => {
  assert.equal(buildSnippet('在石炭井', parseQuery('石炭 炭井')).html, '在<mark>石炭井</mark>');
});

test('without a match the snippet is the opening of the page', () => {
  const s = buildSnippet(`\n  序言：${'文'.repeat(200)}`, parseQuery(''), { context: 5 });
  assert.equal(s.html, `序言：${'文'.repeat(7)}…`);
  assert.equal(s.occurrences, 0);
  assert.equal(buildSnippet('短文', parseQuery('-政协')).html, '短文');
});

test('newlines become spaces, surrogate pairs are never cut', () => {
  const s = buildSnippet('第一行\n\n石炭井\n第三行', parseQuery('石炭井'));
  assert.equal(s.html, '第一行 <mark>石炭井</mark> 第三行');
  const pairs = buildSnippet(`${'𠀀'.repeat(10)}石炭井${'𠀀'.repeat(10)}`, parseQuery('石炭井'), { context: 3 });
  assert.ok(!/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(pairs.html));
  assert.equal(pairs.html, '…𠀀𠀀<mark>石炭井</mark>𠀀𠀀…');
});

test('matchRangesInOriginal gives UTF-16 ranges of the printed text', () => {
  const original = '𠀀石 炭井，石炭井';
  const ranges = matchRangesInOriginal(original, parseQuery('石炭井'));
  assert.deepEqual(ranges, [{ start: 2, end: 6 }, { start: 7, end: 10 }]);
  assert.equal(original.slice(2, 6), '石 炭井');
});
