import os from 'node:os';
import { createOcrEngine, type OcrEngine, type OcrEngineOptions, type OcrLanguageChoice, type OcrPage, type RecognizeOptions } from './ocr.ts';

/**
 * A few OCR engines working side by side: never more than the cores (OCR is CPU-bound and one
 * engine holds about 300 MB per language model), started lazily at the first page that needs one.
 */
export interface OcrPool {
  readonly size: number;
  recognize(image: Buffer, languages: OcrLanguageChoice, opts?: RecognizeOptions): Promise<OcrPage>;
  terminate(): Promise<void>;
}

export function createOcrPool(opts: { size?: number; engine?: OcrEngineOptions } = {}): OcrPool {
  const size = Math.max(1, Math.min(opts.size ?? os.availableParallelism(), os.availableParallelism()));
  const idle: OcrEngine[] = [];
  const waiting: Array<(engine: OcrEngine) => void> = [];
  let started = 0;
  let closed = false;

  const acquire = async (): Promise<OcrEngine> => {
    const free = idle.pop();
    if (free) return free;
    if (started < size) {
      started++;
      try {
        return await createOcrEngine(opts.engine);
      } catch (error) {
        started--;
        throw error;
      }
    }
    return new Promise((resolve) => waiting.push(resolve));
  };
  const release = (engine: OcrEngine) => {
    if (closed) {
      void engine.terminate();
      return;
    }
    const next = waiting.shift();
    if (next) next(engine);
    else idle.push(engine);
  };

  return {
    size,
    async recognize(image, languages, recognizeOpts) {
      if (closed) throw new Error('the OCR pool is closed');
      const engine = await acquire();
      try {
        return await engine.recognize(image, languages, recognizeOpts);
      } finally {
        release(engine);
      }
    },
    async terminate() {
      closed = true;
      await Promise.all(idle.splice(0).map((e) => e.terminate()));
    },
  };
}
