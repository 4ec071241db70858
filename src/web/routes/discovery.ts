import { Router } from 'express';
import type { Archive } from '../../archive.ts';
import type { StoryRecord } from '../../catalogue/stories.ts';
import type { DocumentRecord } from '../../catalogue/types.ts';
import { currentText } from '../../catalogue/types.ts';
import { documentTitle } from '../../search/page-text.ts';
import { escapeHtml } from '../../search/snippet.ts';
import { documentProblem } from '../../stories/page-citations.ts';
import { documentJsonLd, jsonLdText, pageJsonLd } from '../../stories/structured-data.ts';
import { chineseScript } from '../../stories/text-script.ts';
import { notFound } from '../errors.ts';
import { renderStory, site, siteOrigin } from '../story-view.ts';

/**
 * How the public site is found: `/sitemap.xml` (published stories, documents and their pages — nothing
 * else), `/robots.txt` (keeps crawlers out of the staff area, the API and the endless search pages) and
 * `/feed.atom` (the newest stories).
 */

/** A sitemap file holds at most 50,000 addresses (sitemaps.org); larger archives get an index of parts. */
export const SITEMAP_LIMIT = 50_000;
const FEED_ENTRIES = 20;

interface SitemapEntry { loc: string; lastmod: string }

function xml(text: string): string {
  return escapeHtml(text);
}

/** What the public can find: published, not hidden, fully processed documents. */
function publicDocuments(archive: Archive): DocumentRecord[] {
  return archive.catalogue.documents.list({ includeUnpublished: false, limit: 10_000_000 }).filter((d) => d.status === 'ready' && !d.deletedAt);
}

/** Every public address, stories first; documents are followed by their pages. */
function* sitemapEntries(archive: Archive, origin: string): Generator<SitemapEntry> {
  for (const s of archive.catalogue.stories.list({ visibility: 'published', limit: 1_000_000 })) {
    yield { loc: `${origin}/stories/${encodeURIComponent(s.slug)}`, lastmod: s.updatedAt };
  }
  for (const d of publicDocuments(archive)) {
    yield { loc: `${origin}/documents/${d.id}`, lastmod: d.updatedAt };
    for (let n = 1; n <= d.pageCount; n++) yield { loc: `${origin}/documents/${d.id}/pages/${n}`, lastmod: d.updatedAt };
  }
}

function countEntries(archive: Archive): number {
  return archive.catalogue.stories.count('published') + publicDocuments(archive).reduce((sum, d) => sum + 1 + d.pageCount, 0);
}

function urlset(entries: Iterable<SitemapEntry>, from: number, to: number): string {
  const lines = ['<?xml version="1.0" encoding="UTF-8"?>', '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'];
  let i = 0;
  for (const e of entries) {
    if (i >= to) break;
    if (i++ < from) continue;
    lines.push(`<url><loc>${xml(e.loc)}</loc><lastmod>${xml(e.lastmod.slice(0, 10))}</lastmod></url>`);
  }
  lines.push('</urlset>');
  return lines.join('\n');
}

function storyEntry(story: StoryRecord, html: string, origin: string): string {
  const url = `${origin}/stories/${encodeURIComponent(story.slug)}`;
  const summary = story.summary ? `<summary>${xml(story.summary)}</summary>` : '';
  const categories = story.tags.map((t) => `<category term="${xml(t)}"/>`).join('');
  return `<entry><id>${xml(url)}</id><title>${xml(story.title)}</title><link rel="alternate" type="text/html" href="${xml(url)}"/>` +
    `<published>${xml(story.publishedAt ?? story.updatedAt)}</published><updated>${xml(story.updatedAt)}</updated>` +
    `<author><name>${xml(story.author)}</name></author>${categories}${summary}<content type="html">${xml(html)}</content></entry>`;
}

/** `sitemapLimit`: addresses per sitemap file (tests lower it to see the index of parts). */
export function discoveryRouter(archive: Archive, { sitemapLimit = SITEMAP_LIMIT } = {}): Router {
  const router = Router();

  // Sharing metadata (JSON-LD ArchiveComponent, OpenGraph) of public documents and pages, for whichever
  // router renders them; it only sets locals that the page head prints.
  router.get(['/documents/:id', '/documents/:id/pages/:n'], (req, res, next) => {
    const params = req.params as Record<string, string | undefined>;
    const doc = archive.catalogue.documents.get(params.id ?? '');
    if (!doc || documentProblem(doc)) return next();
    const s = site(req, res.locals.t);
    const title = documentTitle(doc);
    if (params.n === undefined) {
      const cover = archive.catalogue.pages.get(doc.id, 1);
      res.locals.jsonLd = jsonLdText(documentJsonLd(s, doc));
      res.locals.og = {
        type: 'website', title, description: doc.metadata.description, url: `${s.origin}/documents/${doc.id}`,
        image: cover?.hasImage ? `${s.origin}/documents/${doc.id}/pages/1/crop` : null, imageAlt: cover?.captions[0] ?? title,
      };
      return next();
    }
    const n = Number(params.n);
    const page = Number.isInteger(n) && n >= 1 ? archive.catalogue.pages.get(doc.id, n) : null;
    if (!page) return next();
    const name = `${title} · ${res.locals.t('page', { n })}`;
    const image = page.hasImage ? `${s.origin}/documents/${doc.id}/pages/${n}/crop` : null;
    res.locals.jsonLd = jsonLdText(pageJsonLd(s, doc, n, name, image));
    res.locals.og = { type: 'website', title: name, description: currentText(page).replace(/\s+/g, ' ').slice(0, 160), url: `${s.origin}/documents/${doc.id}/pages/${n}`, image, imageAlt: page.captions[0] ?? name };
    // Traditional-script pages are marked zh-Hant by the page template when it reads this.
    res.locals.pageTextLang = chineseScript(currentText(page)) === 'zh-Hant' ? 'zh-Hant' : 'zh-CN';
    next();
  });

  router.get('/robots.txt', (req, res) => {
    res.type('text/plain; charset=utf-8');
    res.send([
      'User-agent: *', 'Disallow: /staff', 'Disallow: /login', 'Disallow: /api/', 'Disallow: /search', 'Allow: /',
      '', `Sitemap: ${siteOrigin(req)}/sitemap.xml`, '',
    ].join('\n'));
  });

  router.get('/sitemap.xml', (req, res) => {
    const origin = siteOrigin(req);
    const total = countEntries(archive);
    res.type('application/xml; charset=utf-8');
    res.setHeader('Cache-Control', 'public, max-age=3600');
    const part = typeof req.query.part === 'string' ? Number(req.query.part) : null;
    if (total <= sitemapLimit && part === null) {
      res.send(urlset(sitemapEntries(archive, origin), 0, sitemapLimit));
      return;
    }
    const parts = Math.max(1, Math.ceil(total / sitemapLimit));
    if (part !== null) {
      if (!Number.isInteger(part) || part < 1 || part > parts) throw notFound();
      res.send(urlset(sitemapEntries(archive, origin), (part - 1) * sitemapLimit, part * sitemapLimit));
      return;
    }
    const lines = ['<?xml version="1.0" encoding="UTF-8"?>', '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'];
    for (let p = 1; p <= parts; p++) lines.push(`<sitemap><loc>${xml(`${origin}/sitemap.xml?part=${p}`)}</loc></sitemap>`);
    lines.push('</sitemapindex>');
    res.send(lines.join('\n'));
  });

  router.get('/feed.atom', (req, res) => {
    const origin = siteOrigin(req);
    const t = res.locals.t;
    const stories = archive.catalogue.stories.list({ visibility: 'published', limit: FEED_ENTRIES });
    const updated = stories.reduce((latest, s) => (s.updatedAt > latest ? s.updatedAt : latest), '1970-01-01T00:00:00.000Z');
    // The feed is public whoever asks: its entries are rendered as the public sees them.
    const entries = stories.map((s) => storyEntry(s, renderStory(archive, req, t, s, 'public').html, origin));
    res.type('application/atom+xml; charset=utf-8');
    res.send([
      '<?xml version="1.0" encoding="UTF-8"?>',
      '<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="zh-CN">',
      `<id>${xml(`${origin}/feed.atom`)}</id><title>${xml(`${t('siteName')} · ${t('stories')}`)}</title><updated>${xml(updated)}</updated>`,
      `<link rel="self" type="application/atom+xml" href="${xml(`${origin}/feed.atom`)}"/><link rel="alternate" type="text/html" href="${xml(`${origin}/stories`)}"/>`,
      ...entries,
      '</feed>',
    ].join('\n'));
  });

  return router;
}
