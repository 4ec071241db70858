import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { decodeTranscription, splitTranscriptionPages } from '../../ingest/text-encoding.ts';
import { normalizeText } from '../../src/search/normalize.ts';
import { DEMO_STORIES_DIR, isStoryFile, parseStoryFile, resolveFileEmbeds } from '../../src/stories/demo-stories.ts';
import { EMBED_OPENING, parseEmbedAt, type PageEmbed } from '../../src/stories/embed-syntax.ts';
import { chineseScript } from '../../src/stories/text-script.ts';
import { FIXTURES } from '../support/harness.ts';

const DEMO = path.join(FIXTURES, 'demo');
const STORIES = DEMO_STORIES_DIR;

/** The pages of each demo file as the golden extraction has them (form feeds between PDF pages). */
function demoPages(): Map<string, string[]> {
  const pages = new Map<string, string[]>();
  for (const pdf of ['shitanjing-yinji-excerpt.pdf', 'dawukou-laojie-yijiu.pdf']) {
    pages.set(pdf, fs.readFileSync(path.join(DEMO, pdf.replace(/\.pdf$/, '.expected.txt')), 'utf8').split('\f'));
  }
  const txt = 'dawukou-zhengxie-transcription.txt';
  pages.set(txt, splitTranscriptionPages(decodeTranscription(fs.readFileSync(path.join(DEMO, txt))).text));
  return pages;
}

function embedsOf(body: string): PageEmbed[] {
  const found: PageEmbed[] = [];
  for (let at = body.indexOf(EMBED_OPENING); at !== -1; at = body.indexOf(EMBED_OPENING, at + 1)) {
    const parsed = parseEmbedAt(body, at);
    assert.ok(parsed?.ok, `well-formed embed at ${at}: ${body.slice(at, at + 80)}`);
    found.push(parsed.embed);
  }
  return found;
}

const files = fs.readdirSync(STORIES).filter(isStoryFile);

test('the demo has two or three stories, each marked as written for the demo', () => {
  assert.ok(files.length >= 2 && files.length <= 3, `${files.length} stories`);
  for (const file of files) {
    const story = parseStoryFile(fs.readFileSync(path.join(STORIES, file), 'utf8'));
    assert.match(story.body, /本文为 Wenshi 演示而写/, file);
    assert.ok(story.title && story.summary && story.tags.length > 0 && story.era, `${file} has its front matter`);
  }
});

test('every citation of the demo stories points at an existing demo page, and every quotation is on that page', () => {
  const pages = demoPages();
  const ids = new Map([...pages.keys()].map((name, i) => [name, `d${String(i).padStart(11, '0')}`]));
  const names = new Map([...ids].map(([name, id]) => [id, name]));
  let quotes = 0;
  let traditional = 0;
  for (const file of files) {
    const story = parseStoryFile(fs.readFileSync(path.join(STORIES, file), 'utf8'));
    const embeds = embedsOf(resolveFileEmbeds(story.body, ids));
    assert.ok(embeds.length >= 3, `${file} cites the archive`);
    for (const e of embeds) {
      const text = pages.get(names.get(e.documentId)!)?.[e.pageNumber - 1];
      assert.ok(text, `${file}: page ${e.pageNumber} of ${names.get(e.documentId)} exists`);
      if (!e.quote) continue;
      quotes++;
      if (chineseScript(e.quote) === 'zh-Hant') traditional++;
      assert.ok(normalizeText(text).text.includes(normalizeText(e.quote).text), `${file}: “${e.quote}” is on page ${e.pageNumber}`);
    }
  }
  assert.ok(quotes >= 6);
  assert.ok(traditional >= 1, 'one story quotes the letter in traditional characters');
});

test('a citation of a file the demo does not have is refused', () => {
  assert.throws(() => resolveFileEmbeds('{{page file:nowhere.pdf 1}}', new Map()), /no file nowhere\.pdf/);
});
