/**
 * The text of a canvas as an AnnotationPage of `supplementing` annotations: line by line on the page
 * (targets `canvas#xywh=…`) when the page has character boxes and no correction, otherwise the whole text
 * targeting the whole canvas. Viewers show it beside or over the image and can select it.
 */
import { currentText, type PageRecord } from '../catalogue/types.ts';
import { scaleBox, type Box } from '../search/hit-boxes.ts';
import { canvasSize, PRESENTATION_CONTEXT } from './presentation.ts';

interface TextAnnotation {
  id: string;
  type: 'Annotation';
  motivation: 'supplementing';
  body: { type: 'TextualBody'; value: string; format: 'text/plain'; language: string };
  target: string;
}

export interface TextAnnotationPage { '@context': string; id: string; type: 'AnnotationPage'; items: TextAnnotation[] }

/** The page's layout cut into lines (at line breaks), each with the box around its characters. */
export function layoutLines(page: PageRecord): Array<{ text: string; box: Box }> {
  const layout = page.layout;
  if (!layout) return [];
  const lines: Array<{ text: string; box: Box }> = [];
  let textOf = '';
  let boxes: Box[] = [];
  const flush = () => {
    const value = textOf.trim();
    if (value && boxes.length) {
      const box = boxes.reduce((a, b) => {
        const x = Math.min(a.x, b.x), y = Math.min(a.y, b.y);
        return { x, y, w: Math.max(a.x + a.w, b.x + b.w) - x, h: Math.max(a.y + a.h, b.y + b.h) - y };
      });
      lines.push({ text: value, box });
    }
    textOf = '';
    boxes = [];
  };
  for (let i = 0; i < layout.chars.length; i++) {
    const ch = layout.chars[i]!;
    if (ch === '\n') { flush(); continue; }
    textOf += ch;
    const [x = 0, y = 0, w = 0, h = 0] = layout.boxes.slice(i * 4, i * 4 + 4);
    if (w > 0 && h > 0) boxes.push({ x, y, w, h });
  }
  flush();
  return lines;
}

export function textAnnotationPage(id: string, canvasId: string, page: PageRecord, language: string): TextAnnotationPage {
  const size = canvasSize(page);
  const body = (value: string) => ({ type: 'TextualBody' as const, value, format: 'text/plain' as const, language });
  const lines = page.correctedText === null && page.layout ? layoutLines(page) : [];
  const items: TextAnnotation[] = lines.length > 0
    ? lines.map((line, i) => {
      const b = scaleBox(line.box, page.layout!, size.width, size.height);
      return { id: `${id}/${i + 1}`, type: 'Annotation', motivation: 'supplementing', body: body(line.text), target: `${canvasId}#xywh=${b.x},${b.y},${b.w},${b.h}` };
    })
    : [{ id: `${id}/1`, type: 'Annotation', motivation: 'supplementing', body: body(currentText(page)), target: canvasId }];
  return { '@context': PRESENTATION_CONTEXT, id, type: 'AnnotationPage', items };
}
