/**
 * The one place pdf.js is loaded, with pdf-parse (built on it) and pdf.js's worker module.
 *
 * The build of pdf.js that runs on Node 20 (`legacy`) carries core-js polyfills, and on Node 20's V8
 * one of them replaces `Array.prototype.push` for the whole process with a JavaScript function
 * (V8 before 12.2 threw a different error for a push onto an array with a frozen length). That
 * function is about 9× slower, and every push anywhere in the process went through it once any
 * module had loaded pdf.js: search, indexing, the web server. pdf.js does not rely on that corner
 * (it pushes onto ordinary arrays), so the native method goes back once everything is loaded.
 *
 * The worker module is loaded here too: with it on `globalThis.pdfjsWorker`, pdf.js runs its worker
 * in this thread (as it must in Node) without importing the module at the first document — which
 * would install the polyfill again, after this module has run.
 */
import type * as PdfjsModule from 'pdfjs-dist/legacy/build/pdf.mjs';

const nativePush = Array.prototype.push;

const pdfjs: typeof PdfjsModule = await import('pdfjs-dist/legacy/build/pdf.mjs');
(globalThis as { pdfjsWorker?: unknown }).pdfjsWorker = await import('pdfjs-dist/legacy/build/pdf.worker.mjs');
const pdfParse = await import('pdf-parse');

if (Array.prototype.push !== nativePush) {
  Object.defineProperty(Array.prototype, 'push', { value: nativePush, writable: true, enumerable: false, configurable: true });
}

export const { getDocument, Util } = pdfjs;
export const { PDFParse } = pdfParse;
