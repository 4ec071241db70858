/**
 * What a story's embed points at: a page of the archive that the public may read, with what a figure
 * and a reference need — or the reason it cannot be shown. The same rule applies to staff and to the
 * public: a story shows the public nothing that is not itself public.
 */
import type { Catalogue } from '../catalogue/index.ts';
import type { Region } from '../catalogue/stories.ts';
import { currentText, type DocumentRecord, type PageRecord } from '../catalogue/types.ts';
import { documentTitle } from '../search/page-text.ts';
import { citedWork, gbt7714Reference } from '../citation/index.ts';

export type CitationProblem = 'missing-document' | 'deleted' | 'unpublished' | 'not-ready' | 'missing-page';

export interface CitedPage {
  documentId: string;
  pageNumber: number;
  documentTitle: string;
  /** Page viewer, relative to the site. */
  pageUrl: string;
  /** GB/T 7714 reference: everything before the address, and the absolute address. */
  reference: { lead: string; url: string };
  /** Size of the page image (the space regions are given in), or null when the page has no image. */
  imageSize: { width: number; height: number } | null;
  captions: string[];
  text: string;
  document: DocumentRecord;
  page: PageRecord;
}

export type CitationResolution = { ok: true; page: CitedPage } | { ok: false; problem: CitationProblem };
export type CitePage = (documentId: string, pageNumber: number) => CitationResolution;

export interface CitationContext {
  /** `https://host` of the request, for the absolute address in references. */
  origin: string;
  /** YYYY-MM-DD: when the story cited its pages (its last change). */
  citedOn: string;
}

export function pageViewerUrl(documentId: string, pageNumber: number): string {
  return `/documents/${encodeURIComponent(documentId)}/pages/${pageNumber}`;
}

/** The picture of a cited page (or a region of it), served cropped and scaled by the page-crop route. */
export function pageCropUrl(documentId: string, pageNumber: number, region: Region | null): string {
  const base = `${pageViewerUrl(documentId, pageNumber)}/crop`;
  return region ? `${base}?region=${region.x},${region.y},${region.w},${region.h}` : base;
}

/** Why a document cannot be cited publicly, or null when it can. */
export function documentProblem(doc: DocumentRecord | null): CitationProblem | null {
  if (!doc) return 'missing-document';
  if (doc.deletedAt) return 'deleted';
  if (doc.status !== 'ready') return 'not-ready';
  if (!doc.published) return 'unpublished';
  return null;
}

/** A GB/T 7714 reference split before its address, so that a page can link the address. */
function referenceParts(reference: string, url: string): { lead: string; url: string } {
  const at = reference.lastIndexOf(url);
  return at > 0 ? { lead: reference.slice(0, at).trimEnd(), url } : { lead: reference, url };
}

/** A resolver over the catalogue; documents are looked up once per render. */
export function createPageCitations(catalogue: Catalogue, context: CitationContext): CitePage {
  const documents = new Map<string, DocumentRecord | null>();
  return (documentId, pageNumber) => {
    if (!documents.has(documentId)) documents.set(documentId, catalogue.documents.get(documentId));
    const doc = documents.get(documentId) ?? null;
    const problem = documentProblem(doc);
    if (problem || !doc) return { ok: false, problem: problem ?? 'missing-document' };
    const page = pageNumber <= doc.pageCount ? catalogue.pages.get(doc.id, pageNumber) : null;
    if (!page) return { ok: false, problem: 'missing-page' };
    const pageUrl = pageViewerUrl(doc.id, pageNumber);
    const work = citedWork({ document: doc, page, origin: context.origin, accessed: context.citedOn, originalPublic: false });
    return {
      ok: true,
      page: {
        documentId: doc.id, pageNumber, documentTitle: documentTitle(doc), pageUrl,
        reference: referenceParts(gbt7714Reference(work), work.url),
        imageSize: page.hasImage && page.imageWidth && page.imageHeight ? { width: page.imageWidth, height: page.imageHeight } : null,
        captions: page.captions, text: currentText(page), document: doc, page,
      },
    };
  };
}
