/**
 * IIIF Content Search API 2.0 answers: an AnnotationPage of `highlighting` annotations whose targets are
 * `<canvas id>#xywh=x,y,w,h` boxes of the hits in canvas (page image) pixels, one per line or column a hit
 * spans, found from the pages' stored character boxes like the hits of the page viewer. Long answers are
 * paged (`next`, `partOf`) as the API describes.
 */
import type { PageRecord } from '../catalogue/types.ts';
import { hitRegions, scaleBox } from '../search/hit-boxes.ts';
import type { ParsedQuery } from '../search/query.ts';
import { canvasSize } from './presentation.ts';

export const SEARCH_CONTEXT = 'http://iiif.io/api/search/2/context.json';
/** Annotations in one answer page. */
export const ANNOTATIONS_PER_PAGE = 500;

export interface HighlightAnnotation {
  id: string;
  type: 'Annotation';
  motivation: 'highlighting';
  body: { type: 'TextualBody'; value: string; format: 'text/plain' };
  target: string;
}

export interface SearchAnswer {
  '@context': string;
  id: string;
  type: 'AnnotationPage';
  startIndex?: number;
  partOf?: { id: string; type: 'AnnotationCollection'; total: number; first: { id: string; type: 'AnnotationPage' }; last: { id: string; type: 'AnnotationPage' } };
  next?: { id: string; type: 'AnnotationPage' };
  prev?: { id: string; type: 'AnnotationPage' };
  items: HighlightAnnotation[];
  /** Request parameters this service does not support, as the API asks a service to report. */
  ignored?: string[];
}

/** Every hit box on the given pages (in page order), as highlighting annotations on their canvases. */
export function highlightAnnotations(pages: PageRecord[], q: ParsedQuery, canvasId: (page: number) => string, searchId: string): HighlightAnnotation[] {
  const items: HighlightAnnotation[] = [];
  for (const page of [...pages].sort((a, b) => a.number - b.number)) {
    if (!page.layout || page.layout.width <= 0 || page.layout.height <= 0) continue;
    const size = canvasSize(page);
    hitRegions(page.layout, q).forEach((region, hit) => {
      region.boxes.forEach((box, part) => {
        const b = scaleBox(box, page.layout!, size.width, size.height);
        items.push({
          id: `${searchId}/annotation/${page.number}-${hit + 1}-${part + 1}`,
          type: 'Annotation',
          motivation: 'highlighting',
          body: { type: 'TextualBody', value: region.text.replace(/\s+/g, ''), format: 'text/plain' },
          target: `${canvasId(page.number)}#xywh=${b.x},${b.y},${b.w},${b.h}`,
        });
      });
    });
  }
  return items;
}

export interface AnswerPageInput {
  /** The service's address with the query (`…/search?q=…`), without `page`. */
  queryUrl: string;
  items: HighlightAnnotation[];
  /** Zero-based page of the answer. */
  page: number;
  ignored: string[];
}

/** One page of the answer; when the hits need more than one, with `partOf`, `startIndex`, `next` and `prev`. */
export function searchAnswer(input: AnswerPageInput): SearchAnswer {
  const pages = Math.max(1, Math.ceil(input.items.length / ANNOTATIONS_PER_PAGE));
  const page = Math.min(Math.max(0, input.page), pages - 1);
  const pageId = (n: number) => (n === 0 ? input.queryUrl : `${input.queryUrl}&page=${n}`);
  const answer: SearchAnswer = {
    '@context': SEARCH_CONTEXT,
    id: pageId(page),
    type: 'AnnotationPage',
    items: input.items.slice(page * ANNOTATIONS_PER_PAGE, (page + 1) * ANNOTATIONS_PER_PAGE),
  };
  if (pages > 1) {
    answer.startIndex = page * ANNOTATIONS_PER_PAGE;
    answer.partOf = {
      id: input.queryUrl, type: 'AnnotationCollection', total: input.items.length,
      first: { id: pageId(0), type: 'AnnotationPage' }, last: { id: pageId(pages - 1), type: 'AnnotationPage' },
    };
    if (page + 1 < pages) answer.next = { id: pageId(page + 1), type: 'AnnotationPage' };
    if (page > 0) answer.prev = { id: pageId(page - 1), type: 'AnnotationPage' };
  }
  if (input.ignored.length) answer.ignored = input.ignored;
  return answer;
}
