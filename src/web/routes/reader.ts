import { Router, type Request, type Response } from 'express';
import type { Archive } from '../../archive.ts';
import { currentText, DUBLIN_CORE_FIELDS, type DocumentRecord, type PageRecord } from '../../catalogue/types.ts';
import { bibtexEntry, citationDate, citedWork, cslJson, risRecord, type CitedWork } from '../../citation/index.ts';
import { documentTitle } from '../../search/page-text.ts';
import { HttpError, notFound } from '../errors.ts';
import { downloadFileName, originalDownloadable, requestOrigin } from '../original-access.ts';
import { citations, pageHref, pageTextView, readerQuery, scanView, thumbStrip } from '../reader-view.ts';
import { visibleDocument } from '../visibility.ts';

type CiteFormat = 'ris' | 'bib' | 'json';
const CITE_FORMATS: Record<CiteFormat, { type: string; render: (work: CitedWork) => string }> = {
  ris: { type: 'application/x-research-info-systems', render: risRecord },
  bib: { type: 'application/x-bibtex', render: bibtexEntry },
  json: { type: 'application/vnd.citationstyles.csl+json', render: cslJson },
};

/** A page number from the path or a form: a whole number within the document, or 404. */
function pageOf(archive: Archive, doc: DocumentRecord, raw: unknown): PageRecord {
  const n = Number(raw);
  const page = Number.isInteger(n) && n >= 1 && n <= doc.pageCount ? archive.catalogue.pages.get(doc.id, n) : null;
  if (!page) throw notFound('页面');
  return page;
}

function citeFormat(raw: string | undefined): CiteFormat {
  if (raw === 'ris' || raw === 'bib' || raw === 'json') return raw;
  throw notFound('引用格式');
}

/** Responses that differ for staff (unpublished documents) are never stored by shared caches. */
function cacheFor(res: Response, doc: DocumentRecord): void {
  if (!doc.published) res.setHeader('Cache-Control', 'private, no-store');
}

/**
 * The reader: a document with its thumbnails, metadata and citation; each page beside its scan with the
 * matches of `?q=` marked in the text and boxed on the image; citations in GB/T 7714, RIS, BibTeX and
 * CSL-JSON; and the original file where rights allow. Every page's permalink is /documents/:id/pages/:n.
 */
export function readerRouter(archive: Archive): Router {
  const router = Router();

  router.get('/documents/:id', (req, res) => {
    const doc = visibleDocument(archive, req.params.id, res);
    const q = readerQuery(req.query.q).text;
    const pages = archive.catalogue.pages.listForDocument(doc.id).map((p) => ({
      number: p.number, needsOcr: p.needsOcr, headline: p.headline, href: pageHref(doc.id, p.number, q),
      thumb: p.hasImage ? `/documents/${doc.id}/pages/${p.number}/thumb` : null,
      excerpt: currentText(p).replace(/\s+/g, ' ').slice(0, 60),
    }));
    const metadata = DUBLIN_CORE_FIELDS.filter((f) => doc.metadata[f]).map((f) => ({ field: f, value: doc.metadata[f] }));
    const cite = citations(doc, null, requestOrigin(req), citationDate(new Date()));
    cacheFor(res, doc);
    res.render('document', {
      title: documentTitle(doc), doc, pages, metadata, q, cite, metaTags: cite.meta,
      originalUrl: originalDownloadable(doc) ? `/documents/${doc.id}/original` : null,
      iiifUrl: doc.published ? `/iiif/${doc.id}/manifest` : null,
      canonical: `/documents/${doc.id}`,
    });
  });

  router.get('/documents/:id/pages/:n', (req, res) => {
    const doc = visibleDocument(archive, req.params.id, res);
    const page = pageOf(archive, doc, req.params.n);
    const n = page.number;
    const q = readerQuery(req.query.q);
    const text = pageTextView(page, q.parsed);
    const scan = scanView(doc, page, q.parsed);
    const cite = citations(doc, page, requestOrigin(req), citationDate(new Date()));
    cacheFor(res, doc);
    res.render('reader/page', {
      title: `${documentTitle(doc)} · ${res.locals.t('page', { n })}`,
      doc, page, q: q.text, hasQuery: q.parsed.positive.length > 0, text, scan, cite, metaTags: cite.meta,
      thumbs: thumbStrip(archive.catalogue, doc, n, q.text),
      prev: n > 1 ? pageHref(doc.id, n - 1, q.text) : null,
      next: n < doc.pageCount ? pageHref(doc.id, n + 1, q.text) : null,
      canonical: `/documents/${doc.id}/pages/${n}`,
    });
  });

  // The jump-to-page form (GET, so it works without a script), redirected to the page's permalink.
  router.get('/documents/:id/goto', (req, res) => {
    const doc = visibleDocument(archive, req.params.id, res);
    const n = Math.min(doc.pageCount, Math.max(1, Math.trunc(Number(req.query.n)) || 1));
    res.redirect(303, pageHref(doc.id, n, readerQuery(req.query.q).text));
  });

  const cite = (req: Request, res: Response, doc: DocumentRecord, page: PageRecord | null, format: CiteFormat) => {
    const work = citedWork({
      document: doc, page, origin: requestOrigin(req), accessed: citationDate(new Date()), originalPublic: originalDownloadable(doc),
    });
    const { type, render } = CITE_FORMATS[format];
    cacheFor(res, doc);
    // attachment() sets the type from the file name; the precise type is set after it.
    res.attachment(`wenshi-${doc.id}${page ? `-p${page.number}` : ''}.${format}`);
    res.type(`${type}; charset=utf-8`);
    res.send(render(work));
  };
  router.get('/documents/:id/cite.:format', (req, res) => {
    const doc = visibleDocument(archive, req.params.id, res);
    cite(req, res, doc, null, citeFormat(req.params.format));
  });
  router.get('/documents/:id/pages/:n/cite.:format', (req, res) => {
    const doc = visibleDocument(archive, req.params.id, res);
    cite(req, res, doc, pageOf(archive, doc, req.params.n), citeFormat(req.params.format));
  });

  router.get('/documents/:id/original', (req, res, next) => {
    const doc = visibleDocument(archive, req.params.id, res);
    // Unpublished documents are never downloadable here, not even by staff: 404 as if they did not exist.
    if (!doc.published) throw notFound('文献');
    if (!originalDownloadable(doc)) throw new HttpError(403, 'forbidden', '该文献的原件不提供下载');
    res.attachment(downloadFileName(doc));
    res.type(doc.mediaType);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.sendFile(archive.originals.pathOf(doc.sha256), { dotfiles: 'allow', maxAge: 86_400_000 }, (error) => {
      if (error && !res.headersSent) next(error);
    });
  });

  return router;
}
