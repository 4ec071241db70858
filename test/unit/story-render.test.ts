import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { DocumentRecord, PageRecord } from '../../src/catalogue/types.ts';
import type { CitationResolution, CitePage } from '../../src/stories/page-citations.ts';
import { renderStoryBody, storyPlainText, type StoryLabels } from '../../src/stories/story-render.ts';

const labels: StoryLabels = {
  viewPage: '查看原页',
  pageAlt: (title, n) => `${title} 第${n}页`,
  regionSuffix: '（局部）',
  citation: (n) => `参考文献 ${n}`,
  problem: (kind) => `问题:${kind}`,
};

const DOC = 'abcdef012345';
const doc = { id: DOC, metadata: { title: '石炭井印迹' } } as unknown as DocumentRecord;

function page(n: number, text: string, image: boolean, captions: string[] = []): CitationResolution {
  return {
    ok: true,
    page: {
      documentId: DOC, pageNumber: n, documentTitle: '石炭井印迹', pageUrl: `/documents/${DOC}/pages/${n}`,
      reference: { lead: `作者. 石炭井印迹[M/OL]. [出版地不详]: 政协, 2024: ${n}[2025-01-01].`, url: `http://x/documents/${DOC}/pages/${n}` },
      imageSize: image ? { width: 1000, height: 1400 } : null, captions, text, document: doc, page: {} as PageRecord,
    },
  };
}

/** Page 1 has an image and a caption, page 2 text only, page 3 belongs to an unpublished document. */
const cite: CitePage = (documentId, n) => {
  if (documentId !== DOC) return { ok: false, problem: 'missing-document' };
  if (n === 1) return page(1, '一九六五年，矿务局建起工人俱乐部。', true, ['工人俱乐部旧照']);
  if (n === 2) return page(2, '露天电影放映的夜晚，礦工們扶老攜幼。', false);
  if (n === 3) return { ok: false, problem: 'unpublished' };
  return { ok: false, problem: 'missing-page' };
};

const render = (body: string, audience: 'public' | 'staff' = 'public') => renderStoryBody(body, { cite, audience, labels });

test('an embed on its own line is a figure: cropped picture, quoted passage, reference linking to the page', () => {
  const out = render(`俱乐部的来历。\n\n{{page ${DOC} 1 region=10,20,300,200 quote="矿务局建起工人俱乐部"}}\n`);
  assert.match(out.html, /<figure class="archive-embed">/);
  assert.match(out.html, new RegExp(`<img src="/documents/${DOC}/pages/1/crop\\?region=10,20,300,200" alt="工人俱乐部旧照（局部）" loading="lazy">`));
  assert.match(out.html, /<blockquote class="embed-quote" cite="[^"]+"><p>矿务局建起工人俱乐部<\/p><\/blockquote>/);
  assert.match(out.html, /<figcaption><a class="ref-number" href="#ref-1"[^>]*>\[1\]<\/a> 作者\. 石炭井印迹\[M\/OL\]/);
  assert.match(out.html, new RegExp(`<a class="view-page" href="/documents/${DOC}/pages/1">查看原页</a>`));
  assert.doesNotMatch(out.html, /<p><figure/, 'a figure is not wrapped in a paragraph');
  assert.equal(out.references.length, 1);
  assert.deepEqual(out.problems, []);
});

test('references are numbered by first citation; citing a page again reuses its number; inline embeds are citation marks', () => {
  const out = render(`见下文{{page ${DOC} 2}}，又见{{page ${DOC} 1}}。\n\n{{page ${DOC} 2 quote="露天电影"}}\n`);
  assert.deepEqual(out.references.map((r) => [r.number, r.page.pageNumber]), [[1, 2], [2, 1]]);
  assert.match(out.html, /见下文<sup class="cite"><a href="#ref-1" aria-label="参考文献 1">\[1\]<\/a><\/sup>，又见<sup class="cite"><a href="#ref-2"/);
  assert.match(out.html, /<figcaption><a class="ref-number" href="#ref-1"/, 'the figure of page 2 carries its first number');
  assert.doesNotMatch(out.html, /<img/, 'a page without an image shows no picture');
});

test('a traditional-script quotation is marked zh-Hant', () => {
  const out = render(`{{page ${DOC} 2 quote="礦工們扶老攜幼"}}`);
  assert.match(out.html, /<blockquote class="embed-quote" lang="zh-Hant"/);
});

test('an unpublished, missing or malformed reference renders nothing publicly and is reported to staff', () => {
  const body = `开头。\n\n{{page ${DOC} 3 quote="未发布的页"}}\n\n{{page ${DOC} 99}}\n\n{{page 000000000000 1}}\n\n{{page ${DOC} 1 size=big}}\n\n结尾。`;
  const pub = render(body);
  assert.doesNotMatch(pub.html, /未发布的页|embed-problem|figure|\{\{page/);
  assert.match(pub.html, /<p>开头。<\/p>\n<p>结尾。<\/p>/);
  assert.equal(pub.references.length, 0);
  const staff = render(body, 'staff');
  assert.deepEqual(staff.problems.map((p) => [p.kind, p.severity]), [
    ['unpublished', 'error'], ['missing-page', 'error'], ['missing-document', 'error'], ['unknown-attribute', 'error'],
  ]);
  assert.match(staff.html, /<span class="embed-problem" role="note"><strong>问题:unpublished<\/strong> <code>\{\{page abcdef012345 3 quote=&quot;未发布的页&quot;\}\}<\/code><\/span>/);
});

test('warnings: a quote not on the page, a region outside the image or on a page without one', () => {
  const out = render(`{{page ${DOC} 1 quote="不在此页的话" region=900,1300,200,200}}\n\n{{page ${DOC} 2 region=1,1,5,5}}`, 'staff');
  assert.deepEqual(out.problems.map((p) => [p.kind, p.severity]), [['quote-not-found', 'warning'], ['region-outside', 'warning'], ['no-image', 'warning']]);
  assert.equal((out.html.match(/<figure/g) ?? []).length, 2, 'warnings do not hide the figure');
  const folded = render(`{{page ${DOC} 2 quote="礦工们 扶老携幼"}}`, 'staff');
  assert.deepEqual(folded.problems, [], 'the quote is compared like search compares: script and spaces folded');
});

test('raw HTML and script links in Markdown stay inert text', () => {
  const out = render('<script>alert(1)</script>\n\n[点我](javascript:alert(1)) <img src=x onerror=alert(1)>\n\n{{page abcdef012345 1 quote="<b onmouseover=alert(1)>"}}');
  assert.doesNotMatch(out.html, /<script|<img src=x|<b onmouseover|href="javascript/);
  assert.match(out.html, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
  assert.match(out.html, /<p>&lt;b onmouseover=alert\(1\)&gt;<\/p>/);
});

test('body headings start below the title; escaped embeds stay literal; Chinese lines join without a gap', () => {
  const out = render(`# 第一章\n\n## 一节\n\n\\{{page ${DOC} 1}}\n\n石炭井\n矿区`);
  assert.match(out.html, /<h2>第一章<\/h2>\n<h3>一节<\/h3>/);
  assert.match(render('## 一节\n\n#### 小节').html, /<h2>一节<\/h2>\n<h4>小节<\/h4>/, 'the highest heading of the body becomes h2');
  assert.match(out.html, new RegExp(`<p>\\{\\{page ${DOC} 1\\}\\}</p>`));
  assert.match(out.html, /<p>石炭井矿区<\/p>/);
  assert.equal(out.references.length, 0);
});

test('plain text keeps what a reader reads: headings, paragraphs and quoted passages, no markup', () => {
  const text = storyPlainText(`# 标题\n\n一段**重要**的话。\n\n{{page ${DOC} 1 quote="俱乐部"}}\n\n- 列表`);
  assert.equal(text, '标题\n一段重要的话。\n俱乐部\n列表');
});
