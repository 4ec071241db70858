/**
 * The one place pdf.js is loaded, with pdf-parse (built on it) and pdf.js's worker module: at the
 * first PDF a process reads, not before, so the web server and the job worker carry none of it
 * until they meet a PDF.
 *
 * The build of pdf.js that runs on Node 20 (`legacy`) carries core-js polyfills, and on Node 20's V8
 * one of them replaces `Array.prototype.push` for the whole process with a JavaScript function
 * (V8 before 12.2 threw a different error for a push onto an array with a frozen length). That
 * function is about 9× slower, and every push anywhere in the process went through it once pdf.js
 * had loaded: search, indexing, the web server. pdf.js does not rely on that corner (it pushes onto
 * ordinary arrays), so the native method goes back once everything is loaded.
 *
 * The worker module is loaded here too: with it on `globalThis.pdfjsWorker`, pdf.js runs its worker
 * in this thread (as it must in Node) without importing the module at the first document — which
 * would install the polyfill again, after the native method was put back.
 */
import type * as PdfjsModule from 'pdfjs-dist/legacy/build/pdf.mjs';
import type * as PdfParseModule from 'pdf-parse';

/** Taken when this module is evaluated, before anything has loaded pdf.js (only this module loads it). */
const nativePush = Array.prototype.push;

export interface PdfLibraries {
  getDocument: typeof PdfjsModule.getDocument;
  PDFParse: typeof PdfParseModule.PDFParse;
}

let loading: Promise<PdfLibraries> | undefined;

/** pdf.js and pdf-parse, loaded once per process. */
export function pdfLibraries(): Promise<PdfLibraries> {
  loading ??= load();
  return loading;
}

async function load(): Promise<PdfLibraries> {
  try {
    const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
    (globalThis as { pdfjsWorker?: unknown }).pdfjsWorker = await import('pdfjs-dist/legacy/build/pdf.worker.mjs');
    const { PDFParse } = await import('pdf-parse');
    return { getDocument: pdfjs.getDocument, PDFParse };
  } finally {
    if (Array.prototype.push !== nativePush) {
      Object.defineProperty(Array.prototype, 'push', { value: nativePush, writable: true, enumerable: false, configurable: true });
    }
  }
}
