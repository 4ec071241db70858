/**
 * schema.org descriptions (JSON-LD) that search engines and link previews read: an `Article` for a
 * story, with the pages it cites as `citation` and its tags and era as `about`; an `ArchiveComponent`
 * for a document and for a page. JSON-LD is data, not script: `<script type="application/ld+json">` is
 * never executed, so the CSP's `script-src 'self'` does not concern it.
 */
import type { StoryRecord } from '../catalogue/stories.ts';
import type { DocumentRecord } from '../catalogue/types.ts';
import { documentTitle } from '../search/page-text.ts';
import type { StoryReference } from './story-render.ts';

type JsonLd = Record<string, unknown>;

/**
 * The JSON to print inside the script element: `<` `>` `&` and the two JavaScript line separators
 * escaped, so no text (a title holding `</script>`) can end the element or open markup.
 */
export function jsonLdText(data: JsonLd): string {
  return JSON.stringify(data)
    .replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

export interface Site { origin: string; name: string }

function archiveOrganization(site: Site): JsonLd {
  return { '@type': 'ArchiveOrganization', name: site.name, url: `${site.origin}/` };
}

function splitList(text: string): string[] {
  return text.split(/[；;，,、]/).map((s) => s.trim()).filter(Boolean);
}

export function documentUrl(site: Site, doc: DocumentRecord): string {
  return `${site.origin}/documents/${doc.id}`;
}

export function documentJsonLd(site: Site, doc: DocumentRecord): JsonLd {
  const m = doc.metadata;
  const data: JsonLd = {
    '@context': 'https://schema.org',
    '@type': 'ArchiveComponent',
    '@id': documentUrl(site, doc),
    name: documentTitle(doc),
    url: documentUrl(site, doc),
    holdingArchive: archiveOrganization(site),
  };
  if (m.creator) data.creator = splitList(m.creator).map((name) => ({ '@type': 'Thing', name }));
  if (m.publisher) data.publisher = { '@type': 'Organization', name: m.publisher };
  if (m.date) data.dateCreated = m.date;
  if (m.description) data.description = m.description;
  if (m.language) data.inLanguage = m.language;
  if (m.coverage) data.temporalCoverage = m.coverage;
  if (m.subject) data.about = splitList(m.subject).map((name) => ({ '@type': 'Thing', name }));
  if (m.rights) data.copyrightNotice = m.rights;
  if (doc.collection) data.isPartOf = { '@type': 'Collection', name: doc.collection.title, url: `${site.origin}/search?collection=${encodeURIComponent(doc.collection.slug)}` };
  return data;
}

export function pageJsonLd(site: Site, doc: DocumentRecord, pageNumber: number, pageName: string, imageUrl: string | null): JsonLd {
  const url = `${documentUrl(site, doc)}/pages/${pageNumber}`;
  const data: JsonLd = {
    '@context': 'https://schema.org',
    '@type': 'ArchiveComponent',
    '@id': url,
    name: pageName,
    url,
    position: pageNumber,
    isPartOf: { '@type': 'ArchiveComponent', '@id': documentUrl(site, doc), name: documentTitle(doc), url: documentUrl(site, doc) },
    holdingArchive: archiveOrganization(site),
  };
  if (doc.metadata.language) data.inLanguage = doc.metadata.language;
  if (imageUrl) data.image = imageUrl;
  return data;
}

export function storyJsonLd(site: Site, story: StoryRecord, references: StoryReference[], imageUrl: string | null): JsonLd {
  const url = `${site.origin}/stories/${encodeURIComponent(story.slug)}`;
  const about = [...story.tags, ...(story.era ? [story.era] : [])].map((name) => ({ '@type': 'Thing', name }));
  const data: JsonLd = {
    '@context': 'https://schema.org',
    '@type': 'Article',
    '@id': url,
    headline: story.title,
    url,
    mainEntityOfPage: url,
    inLanguage: 'zh-CN',
    author: { '@type': 'Person', name: story.author },
    publisher: { '@type': 'Organization', name: site.name, url: `${site.origin}/` },
    dateModified: story.updatedAt,
    about,
    citation: references.map((r) => ({
      '@type': 'ArchiveComponent',
      name: `${r.page.documentTitle} · ${r.page.pageNumber}`,
      url: r.page.reference.url,
      description: `${r.page.reference.lead} ${r.page.reference.url}`,
      isPartOf: { '@type': 'ArchiveComponent', name: r.page.documentTitle, url: documentUrl(site, r.page.document) },
    })),
  };
  if (story.summary) data.description = story.summary;
  if (story.publishedAt) data.datePublished = story.publishedAt;
  if (story.tags.length) data.keywords = story.tags.join(', ');
  if (story.era) data.temporalCoverage = story.era;
  if (imageUrl) data.image = imageUrl;
  return data;
}
