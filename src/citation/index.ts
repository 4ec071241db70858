/** Citations of documents and pages: one cited work, many forms. */
export { citedWork, citationDate, splitVolume, personNames, splitPublisher, type CitedWork, type CitationInput } from './cited-work.ts';
export { gbt7714Reference } from './gbt7714.ts';
export { risRecord } from './ris.ts';
export { bibtexEntry } from './bibtex.ts';
export { cslJson } from './csl-json.ts';
export { highwireTags, type MetaTag } from './highwire.ts';
