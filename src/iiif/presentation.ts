/**
 * IIIF Presentation API 3.0 manifests of documents: one Canvas per page, painted with the page image (a
 * full-size static derivative: IIIF Image API level 0 without a service), the page text as supplementing
 * annotations, the original as `rendering` where it may be downloaded, and a Content Search 2.0 service.
 * Pure: the route passes the records and the site's origin.
 */
import type { DocumentRecord, PageRecord } from '../catalogue/types.ts';
import { DUBLIN_CORE_FIELDS, type DublinCoreField } from '../catalogue/types.ts';

export const PRESENTATION_CONTEXT = 'http://iiif.io/api/presentation/3/context.json';

export type LanguageMap = Record<string, string[]>;
export interface LabelValue { label: LanguageMap; value: LanguageMap }
interface Reference { id: string; type: string; format?: string; label?: LanguageMap; width?: number; height?: number; profile?: string }

export interface Canvas {
  id: string;
  type: 'Canvas';
  label: LanguageMap;
  width: number;
  height: number;
  thumbnail?: Reference[];
  items: Array<{ id: string; type: 'AnnotationPage'; items: unknown[] }>;
  annotations: Array<{ id: string; type: 'AnnotationPage' }>;
  seeAlso: Reference[];
}

export interface Manifest {
  '@context': string;
  id: string;
  type: 'Manifest';
  label: LanguageMap;
  summary?: LanguageMap;
  metadata: LabelValue[];
  requiredStatement?: LabelValue;
  homepage: Reference[];
  rendering?: Reference[];
  seeAlso: Reference[];
  service: Array<{ id: string; type: 'SearchService2' }>;
  thumbnail?: Reference[];
  viewingDirection: 'left-to-right' | 'right-to-left';
  behavior: string[];
  items: Canvas[];
}

/** Pages without an image still get a canvas (of A-series proportions) so that page numbers line up. */
const DEFAULT_CANVAS = { width: 1000, height: 1414 };

export interface IiifUrls {
  manifest(documentId: string): string;
  canvas(documentId: string, page: number): string;
  text(documentId: string, page: number): string;
  search(documentId: string): string;
}

export function iiifUrls(origin: string): IiifUrls {
  const base = (id: string) => `${origin}/iiif/${encodeURIComponent(id)}`;
  return {
    manifest: (id) => `${base(id)}/manifest`,
    canvas: (id, n) => `${base(id)}/canvas/${n}`,
    text: (id, n) => `${base(id)}/canvas/${n}/text`,
    search: (id) => `${base(id)}/search`,
  };
}

/** The canvas's coordinate space: the page image's pixels, which search hits are given in. */
export function canvasSize(page: PageRecord): { width: number; height: number } {
  if (page.hasImage && page.imageWidth && page.imageHeight) return { width: page.imageWidth, height: page.imageHeight };
  if (page.layout && page.layout.width > 0 && page.layout.height > 0) return { width: page.layout.width, height: page.layout.height };
  return DEFAULT_CANVAS;
}

/** A language map for text in the document's language; Chinese metadata without a tag is `zh`. */
function text(value: string, language: string): LanguageMap {
  return { [language]: [value] };
}

export interface ManifestInput {
  document: DocumentRecord;
  pages: PageRecord[];
  origin: string;
  /** Chinese and English labels of the Dublin Core fields. */
  fieldLabels: Record<string, { 'zh-CN': string; en: string }>;
  /** Whether the original may be downloaded (then it is the manifest's `rendering`). */
  originalPublic: boolean;
}

function canvasOf(doc: DocumentRecord, page: PageRecord, origin: string, urls: IiifUrls): Canvas {
  const id = urls.canvas(doc.id, page.number);
  const size = canvasSize(page);
  const painting = page.hasImage
    ? [{
      id: `${id}/annotation/image`, type: 'Annotation', motivation: 'painting', target: id,
      body: { id: `${origin}/documents/${doc.id}/pages/${page.number}/image`, type: 'Image', format: 'image/webp', ...size },
    }]
    : [];
  return {
    id, type: 'Canvas', label: { zh: [`第 ${page.number} 页`], en: [`Page ${page.number}`] }, ...size,
    ...(page.hasImage ? { thumbnail: [{ id: `${origin}/documents/${doc.id}/pages/${page.number}/thumb`, type: 'Image', format: 'image/webp' }] } : {}),
    items: [{ id: `${id}/page/painting`, type: 'AnnotationPage', items: painting }],
    annotations: [{ id: urls.text(doc.id, page.number), type: 'AnnotationPage' }],
    seeAlso: [{ id: `${origin}/api/documents/${doc.id}/pages/${page.number}`, type: 'Dataset', format: 'application/json', label: { zh: ['本页文字 (JSON)'], en: ['Page text (JSON)'] } }],
  };
}

export function buildManifest(input: ManifestInput): Manifest {
  const { document: doc, origin } = input;
  const urls = iiifUrls(origin);
  const lang = doc.metadata.language.trim() || 'zh';
  const label = (field: DublinCoreField): LanguageMap => {
    const l = input.fieldLabels[field];
    return l ? { zh: [l['zh-CN']], en: [l.en] } : { none: [field] };
  };
  const metadata: LabelValue[] = DUBLIN_CORE_FIELDS.filter((f) => f !== 'rights' && doc.metadata[f].trim())
    .map((f) => ({ label: label(f), value: text(doc.metadata[f], lang) }));
  if (doc.collection) metadata.unshift({ label: { zh: ['文集'], en: ['Collection'] }, value: text(doc.collection.title, lang) });
  const firstWithImage = input.pages.find((p) => p.hasImage);
  return {
    '@context': PRESENTATION_CONTEXT,
    id: urls.manifest(doc.id),
    type: 'Manifest',
    label: text(doc.metadata.title || doc.originalName, lang),
    ...(doc.metadata.description.trim() ? { summary: text(doc.metadata.description, lang) } : {}),
    metadata,
    ...(doc.metadata.rights.trim() ? { requiredStatement: { label: label('rights'), value: text(doc.metadata.rights, lang) } } : {}),
    homepage: [{ id: `${origin}/documents/${doc.id}`, type: 'Text', format: 'text/html', label: text(doc.metadata.title || doc.originalName, lang) }],
    ...(input.originalPublic ? { rendering: [{ id: `${origin}/documents/${doc.id}/original`, type: doc.mediaType.startsWith('image/') ? 'Image' : 'Text', format: doc.mediaType, label: { zh: ['原件'], en: ['Original file'] } }] } : {}),
    seeAlso: [{ id: `${origin}/api/documents/${doc.id}`, type: 'Dataset', format: 'application/json', label: { zh: ['著录信息 (JSON)'], en: ['Metadata (JSON)'] } }],
    service: [{ id: urls.search(doc.id), type: 'SearchService2' }],
    ...(firstWithImage ? { thumbnail: [{ id: `${origin}/documents/${doc.id}/pages/${firstWithImage.number}/thumb`, type: 'Image', format: 'image/webp' }] } : {}),
    viewingDirection: 'left-to-right',
    behavior: ['paged'],
    items: input.pages.map((p) => canvasOf(doc, p, origin, urls)),
  };
}
