/**
 * View models of the reader: the page beside its scan with every match marked in the text and boxed on the
 * image, the thumbnail strip, and the citations. Everything here is computed on the server, so reading,
 * hits and citations work without JavaScript; the script only adds zoom, match stepping and shortcuts.
 */
import type { Catalogue } from '../catalogue/index.ts';
import { currentText, type DocumentRecord, type PageRecord } from '../catalogue/types.ts';
import { citedWork, gbt7714Reference, highwireTags, type MetaTag } from '../citation/index.ts';
import { hitRegions } from '../search/hit-boxes.ts';
import { parseQuery, type ParsedQuery } from '../search/query.ts';
import { escapeHtml, matchRangesInOriginal } from '../search/snippet.ts';
import { originalDownloadable } from './original-access.ts';

/** Counts the marks of one page across its headline, dek, byline, paragraphs and captions. */
export interface MarkCounter { next: number }

/** Escaped text with every match marked `<mark>`; the only HTML the page template prints raw. */
export function markMatches(text: string, q: ParsedQuery, counter: MarkCounter): string {
  if (q.positive.length === 0) return escapeHtml(text);
  let html = '';
  let at = 0;
  for (const r of matchRangesInOriginal(text, q)) {
    counter.next += 1;
    html += `${escapeHtml(text.slice(at, r.start))}<mark>${escapeHtml(text.slice(r.start, r.end))}</mark>`;
    at = r.end;
  }
  return html + escapeHtml(text.slice(at));
}

export interface ScanView {
  src: string;
  width: number;
  height: number;
  /** The SVG overlay's coordinate space: the layout's (character boxes are stored in it). */
  viewBox: string;
  hits: Array<{ id: string; text: string; boxes: Array<{ x: number; y: number; w: number; h: number }> }>;
}

export interface PageText {
  headlineHtml: string | null;
  dekHtml: string | null;
  bylineHtml: string | null;
  paragraphs: string[];
  captionsHtml: string[];
  marks: number;
}

export function pageTextView(page: PageRecord, q: ParsedQuery): PageText {
  const counter: MarkCounter = { next: 0 };
  const mark = (s: string | null) => (s ? markMatches(s, q, counter) : null);
  const headlineHtml = mark(page.headline);
  const dekHtml = mark(page.dek);
  const bylineHtml = mark(page.byline);
  const paragraphs = currentText(page).split(/\n+/).filter((p) => p.trim()).map((p) => markMatches(p, q, counter));
  const captionsHtml = page.captions.map((c) => markMatches(c, q, counter));
  return { headlineHtml, dekHtml, bylineHtml, paragraphs, captionsHtml, marks: counter.next };
}

export function scanView(doc: DocumentRecord, page: PageRecord, q: ParsedQuery): ScanView | null {
  if (!page.hasImage || !page.imageWidth || !page.imageHeight) return null;
  const layout = page.layout && page.layout.width > 0 && page.layout.height > 0 ? page.layout : null;
  const regions = layout ? hitRegions(layout, q) : [];
  return {
    src: `/documents/${doc.id}/pages/${page.number}/image`,
    width: page.imageWidth,
    height: page.imageHeight,
    viewBox: layout ? `0 0 ${layout.width} ${layout.height}` : `0 0 ${page.imageWidth} ${page.imageHeight}`,
    hits: regions.map((r, i) => ({ id: `hit-${i + 1}`, text: r.text.replace(/\s+/g, ''), boxes: r.boxes })),
  };
}

export interface Thumb { number: number; href: string; src: string | null; current: boolean }

/** The strip of neighbouring pages: up to `radius` on each side of the current one. */
export function thumbStrip(catalogue: Catalogue, doc: DocumentRecord, current: number, query: string, radius = 7): Thumb[] {
  const from = Math.max(1, Math.min(current - radius, doc.pageCount - 2 * radius));
  const to = Math.min(doc.pageCount, from + 2 * radius);
  const thumbs: Thumb[] = [];
  for (let n = from; n <= to; n++) {
    const page = catalogue.pages.get(doc.id, n);
    thumbs.push({
      number: n, href: pageHref(doc.id, n, query), current: n === current,
      src: page?.hasImage ? `/documents/${doc.id}/pages/${n}/thumb` : null,
    });
  }
  return thumbs;
}

export function pageHref(documentId: string, n: number, query: string): string {
  return `/documents/${documentId}/pages/${n}${query ? `?q=${encodeURIComponent(query)}` : ''}`;
}

export interface CitationView {
  reference: string;
  permalink: string;
  exports: Array<{ label: string; href: string }>;
}

export interface Citations { page: CitationView | null; document: CitationView; meta: MetaTag[] }

function citationView(work: ReturnType<typeof citedWork>, base: string): CitationView {
  return {
    reference: gbt7714Reference(work),
    permalink: work.url,
    exports: [
      { label: 'RIS', href: `${base}/cite.ris` },
      { label: 'BibTeX', href: `${base}/cite.bib` },
      { label: 'CSL-JSON', href: `${base}/cite.json` },
    ],
  };
}

/** The references of the page (when given) and of its document, and the Highwire tags of the more specific one. */
export function citations(doc: DocumentRecord, page: PageRecord | null, origin: string, accessed: string): Citations {
  const originalPublic = originalDownloadable(doc);
  const documentWork = citedWork({ document: doc, origin, accessed, originalPublic });
  const pageWork = page ? citedWork({ document: doc, page, origin, accessed, originalPublic }) : null;
  return {
    document: citationView(documentWork, `/documents/${doc.id}`),
    page: pageWork ? citationView(pageWork, `/documents/${doc.id}/pages/${pageWork.page}`) : null,
    meta: highwireTags(pageWork ?? documentWork),
  };
}

/** The query of a reader's `?q=`, cut to the search box's limit. */
export function readerQuery(raw: unknown): { text: string; parsed: ParsedQuery } {
  const text = typeof raw === 'string' ? raw.slice(0, 200) : '';
  return { text, parsed: parseQuery(text) };
}
