/**
 * The OCR engine: the only importer of tesseract.js. One worker thread per language, started
 * lazily, with models read from the npm data packages (no network, no cache files).
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { promisify } from 'node:util';
import { Worker as ThreadWorker } from 'node:worker_threads';
import { gunzip } from 'node:zlib';
import { createWorker, OEM, PSM, type Block, type Worker as TessWorker } from 'tesseract.js';
import { prepareForOcr, type PreparedImage } from './image-prep.ts';
import type { OcrLanguageCode } from './languages.ts';

/** The languages table lives in languages.ts (one source of truth for CLI, upload form and engine). */
export type OcrLanguage = OcrLanguageCode;

/**
 * Recognised characters with their boxes, compact enough to store per page: boxes holds 4 ints
 * (x, y, w, h in pixels of the upright original image) per UTF-16 unit of chars; (0,0,0,0) for
 * line breaks and spaces.
 */
export interface PageLayout { width: number; height: number; chars: string; boxes: number[] }
/**
 * 'auto': simplified or traditional Chinese, chosen per page (rule at AUTO_SECOND_PASS_BELOW; no
 * English model: the Chinese models read Latin letters and digits themselves). A list: every
 * listed model reads the page and the most confident reading is kept ([chi_sim, chi_tra] follows
 * the auto rule). Models are never combined in one worker: a combined chi_sim+chi_tra worker
 * turned traditional text into simplified.
 */
export type OcrLanguageChoice = 'auto' | OcrLanguage[];

export interface OcrPage {
  /** Recognised text: lines separated by "\n", paragraphs by a blank line. Same string as layout.chars. */
  text: string;
  /** Tesseract's mean word confidence, 0..1 (0 for a page without text). */
  confidence: number;
  language: OcrLanguage;
  /** How many models read the page ('auto' may read it twice). */
  readings: number;
  layout: PageLayout;
}

export interface RecognizeOptions {
  /** Zero-based page of a multi-page TIFF. */
  page?: number;
  /**
   * With 'auto': the script the document's recent pages came out in (volume-script.ts). That model
   * reads first and its reading is kept from EXPECTED_KEEP_FROM, without the second model.
   */
  expect?: OcrLanguage;
}

export interface OcrEngine {
  /** Reads one page. Throws ImageInputError or OcrEngineError. */
  recognize(image: Buffer, languages: OcrLanguageChoice, opts?: RecognizeOptions): Promise<OcrPage>;
  terminate(): Promise<void>;
}

export interface OcrEngineOptions {
  /** Limit for starting one language worker (reading and initialising its model). Default 30 s. */
  startTimeoutMs?: number;
  /** Limit for one recognition; the worker is restarted after it. Default 120 s. */
  recognizeTimeoutMs?: number;
  /** Directory holding `<lang>.traineddata.gz`, per language; default: the @tesseract.js-data package. */
  modelDirs?: Partial<Record<OcrLanguage, string>>;
  /** Largest image accepted, in pixels. */
  maxPixels?: number;
}

export type OcrFailure = 'model-missing' | 'start-failed' | 'start-timeout' | 'recognize-failed' | 'recognize-timeout' | 'terminated';

/** The OCR engine could not start or could not read a page. */
export class OcrEngineError extends Error {
  override readonly name = 'OcrEngineError';
  constructor(readonly failure: OcrFailure, message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

const require = createRequire(import.meta.url);

/**
 * The packages' index.js points at the large legacy `4.0.0/` models; the `4.0.0_best_int/`
 * LSTM-only models measured more accurate and start faster.
 */
export function defaultModelDir(lang: OcrLanguage): string {
  return path.join(path.dirname(require.resolve(`@tesseract.js-data/${lang}/package.json`)), '4.0.0_best_int');
}

/**
 * Reads and unpacks the model before a worker sees it: on a missing or corrupt file tesseract.js
 * crashes the process from inside the worker, or, with an error handler, leaves a thread that
 * cannot be stopped. (2 MB, some 30 ms, once per language.)
 */
async function checkModel(lang: OcrLanguage, dir: string): Promise<void> {
  const file = path.join(dir, `${lang}.traineddata.gz`);
  try {
    await promisify(gunzip)(await readFile(file));
  } catch (cause) {
    throw new OcrEngineError('model-missing', `OCR model for ${lang} is missing or unreadable: ${file}`, { cause });
  }
}

interface LanguageSlot {
  worker: TessWorker;
  /** Serialises jobs, so a time limit measures one recognition and not the queue before it. */
  queue: Promise<unknown>;
  /** Rejects when the worker thread dies (out of memory, wasm abort); a running job would otherwise wait forever. */
  died: Promise<never>;
  /** Set once the worker crashed, timed out or exited: queued jobs go to a fresh worker. */
  dead: boolean;
}

async function startSlot(lang: OcrLanguage, dir: string, timeoutMs: number): Promise<LanguageSlot> {
  await checkModel(lang, dir);
  let fail: (e: OcrEngineError) => void = () => {};
  const failure = new Promise<never>((_, reject) => { fail = reject; });
  failure.catch(() => {}); // the handler also fires for failed jobs later, when nobody awaits this
  const timer = setTimeout(() => fail(new OcrEngineError('start-timeout', `OCR worker for ${lang} did not start within ${timeoutMs} ms`)), timeoutMs);
  const starting = createWorker(lang, OEM.LSTM_ONLY, {
    langPath: dir,
    gzip: true,
    cacheMethod: 'none', // the default cache writes models into the working directory and then ignores langPath
    logger: () => {},
    // Without a handler a failed job throws inside a message listener and kills the process;
    // with one, a failed start never settles createWorker, so it ends the race here instead.
    errorHandler: (detail: unknown) => fail(new OcrEngineError('start-failed', `OCR worker for ${lang} failed: ${String(detail)}`)),
  },
  // Tesseract's debug output ("Detected N diacritics", resolution guesses) goes to /dev/null
  // instead of the process's stdout/stderr, which the ingest CLI uses for JSON lines.
  'debug_file /dev/null');
  try {
    const worker = await Promise.race([starting, failure]);
    await worker.setParameters({
      tessedit_pageseg_mode: PSM.AUTO, // automatic layout: the default (6) reads straight across columns
      preserve_interword_spaces: '1', // otherwise a space between almost every Chinese character
      user_defined_dpi: '300', // prepareForOcr scales pages to 300 DPI
    });
    const slot: LanguageSlot = { worker, queue: Promise.resolve(), died: watchThread(worker, lang, () => { slot.dead = true; }), dead: false };
    return slot;
  } catch (cause) {
    // A worker that starts after the time limit must not keep the process alive. (One that never
    // starts cannot be stopped, as tesseract.js gives no handle to its thread before it is ready:
    // hence checkModel.)
    void starting.then((w) => w.terminate(), () => {});
    throw cause instanceof OcrEngineError ? cause : new OcrEngineError('start-failed', `OCR worker for ${lang} failed to start`, { cause });
  } finally {
    clearTimeout(timer);
  }
}

function watchThread(worker: TessWorker, lang: OcrLanguage, onDeath: () => void): Promise<never> {
  const died = new Promise<never>((_, reject) => {
    // tesseract.js exposes its worker_threads Worker as `.worker` but does not declare it.
    const thread: unknown = (worker as unknown as { worker?: unknown }).worker;
    if (!(thread instanceof ThreadWorker)) return;
    const die = (error: OcrEngineError) => { onDeath(); reject(error); };
    // An 'error' event without a listener would crash the process.
    thread.on('error', (cause) => die(new OcrEngineError('recognize-failed', `OCR worker for ${lang} crashed`, { cause })));
    thread.on('exit', (code) => die(new OcrEngineError('recognize-failed', `OCR worker for ${lang} exited (${code})`)));
  });
  died.catch(() => {}); // observed by jobs that race it; no unhandled rejection when idle
  return died;
}

interface Reading { language: OcrLanguage; confidence: number; blocks: Block[]; readings: number }

/**
 * 'auto' rule, measured on 60 generated pages (30 simplified, 30 traditional, varied degradation):
 * chi_tra reads simplified glyphs as their traditional forms with almost unchanged confidence, so
 * its confidence says little; chi_sim loses confidence on traditional glyphs (65–85, mean 78,
 * against 79–92, mean 88, on simplified pages). So chi_sim reads first; below
 * AUTO_SECOND_PASS_BELOW chi_tra reads too (all traditional pages, 40% of simplified ones), and it
 * wins by AUTO_TRADITIONAL_MARGIN points (chi_tra minus chi_sim: traditional +5…+20, simplified
 * at most +2). All 60 pages were assigned right. Reading both always would cost a second pass on
 * every page.
 */
export const AUTO_SECOND_PASS_BELOW = 87;
export const AUTO_TRADITIONAL_MARGIN = 3.5;
/**
 * When the volume's script is expected (RecognizeOptions.expect), its model's reading is kept from
 * this confidence on. For chi_sim that is above most traditional pages (chi_sim's confidence on them
 * averaged 78) yet below the many simplified pages the general rule reads twice (79–87); below it,
 * or for chi_tra (whose confidence hardly tells the scripts apart) below it, the page is decided as
 * any other.
 */
export const EXPECTED_KEEP_FROM = 82;

type Box = { x0: number; y0: number; x1: number; y1: number };
type Line = Block['paragraphs'][number]['lines'][number];

/** Latin letters, digits and ASCII punctuation: half as wide as a Han character, separated by spaces. */
const HALF_WIDTH = /^[\u0021-\u02ff]$/u;

/** Width in character widths: Han and full-width marks are square, Latin letters and digits about half. */
function widthClass(text: string, runStart: boolean, runEnd: boolean): number {
  // The run's box ends at ink: a closing mark's ink sits in the left part of its square, an opening mark's in the right.
  if (runEnd && '，。、；：！？）」』”'.includes(text)) return 0.4;
  if (runStart && '（「『“'.includes(text)) return 0.4;
  return HALF_WIDTH.test(text) ? 0.55 : 1;
}

/**
 * Character boxes of one line. Tesseract's LSTM symbol and word boxes are loose and overlap (they
 * come from network time steps), but the line box is exact, and printed Han characters are equally
 * wide: so characters are spread over the line box by width class. A wide gap between words (a tab
 * stop, a spaced heading) starts a new run, so the spread does not cross it; runs are joined by a
 * space in the text. Every box gets the line's height, so highlights come out as even bands.
 */
function placeLine(line: Line): { text: string; box: Box | null }[] {
  const height = line.bbox.y1 - line.bbox.y0;
  const runs: { x0: number; x1: number; texts: string[] }[] = [];
  for (const word of line.words) {
    const texts = word.symbols.map((s) => s.text).filter((t) => t.trim() !== '');
    if (texts.length === 0) continue;
    const run = runs.at(-1);
    if (run && word.bbox.x0 - run.x1 < 1.5 * height) {
      // Chinese needs no spaces; keep one only between two Latin words, numbers or their punctuation.
      if (HALF_WIDTH.test(run.texts.at(-1) ?? '') && HALF_WIDTH.test(texts[0] ?? '')) run.texts.push(' ');
      run.texts.push(...texts);
      run.x1 = Math.max(run.x1, word.bbox.x1);
    } else {
      runs.push({ x0: word.bbox.x0, x1: word.bbox.x1, texts });
    }
  }
  const placed: { text: string; box: Box | null }[] = [];
  runs.forEach((run, r) => {
    if (r > 0) placed.push({ text: ' ', box: null });
    const x0 = r === 0 ? line.bbox.x0 : Math.max(line.bbox.x0, run.x0);
    const x1 = r === runs.length - 1 ? line.bbox.x1 : Math.min(line.bbox.x1, run.x1);
    const weights = run.texts.map((t, i) => (t === ' ' ? 0.3 : widthClass(t, i === 0, i === run.texts.length - 1)));
    const step = (x1 - x0) / Math.max(0.1, weights.reduce((a, b) => a + b, 0));
    let x = x0;
    run.texts.forEach((text, i) => {
      const next = x + step * (weights[i] ?? 1);
      placed.push({ text, box: text === ' ' ? null : { x0: x, x1: next, y0: line.bbox.y0, y1: line.bbox.y1 } });
      x = next;
    });
  });
  return placed;
}

/** Assembles text and boxes from tesseract's block tree, mapping boxes to the original image. */
function toOcrPage(reading: Reading, prepared: PreparedImage): OcrPage {
  const { originalWidth: width, originalHeight: height, scale, region } = prepared;
  let chars = '';
  const boxes: number[] = [];
  // The engine saw `region` of the prepared page: its boxes are offset by the region's corner.
  const clamp = (v: number, min: number, max: number) => Math.min(max, Math.max(min, Math.round(v / scale)));
  const put = (text: string, b: Box | null) => {
    const x = b ? clamp(b.x0 + region.x, 0, width) : 0;
    const y = b ? clamp(b.y0 + region.y, 0, height) : 0;
    const box = b ? [x, y, clamp(b.x1 + region.x, x, width) - x, clamp(b.y1 + region.y, y, height) - y] : [0, 0, 0, 0];
    chars += text;
    for (let i = 0; i < text.length; i++) boxes.push(...box); // one box per UTF-16 unit (surrogate pairs repeat it)
  };
  for (const paragraph of reading.blocks.flatMap((b) => b.paragraphs)) {
    const lines = paragraph.lines.map(placeLine).filter((l) => l.length > 0);
    if (lines.length === 0) continue;
    if (chars !== '') put('\n\n', null);
    lines.forEach((line, i) => {
      if (i > 0) put('\n', null);
      for (const { text, box } of line) put(text, box);
    });
  }
  return {
    text: chars, confidence: chars === '' ? 0 : reading.confidence / 100, language: reading.language, readings: reading.readings,
    layout: { width, height, chars, boxes },
  };
}

/** Starts the engine: workers start lazily, one per language, at the first page that needs them. */
export async function createOcrEngine(opts: OcrEngineOptions = {}): Promise<OcrEngine> {
  const startTimeoutMs = opts.startTimeoutMs ?? 30_000;
  const recognizeTimeoutMs = opts.recognizeTimeoutMs ?? 120_000;
  const slots = new Map<OcrLanguage, Promise<LanguageSlot>>();
  let terminated = false;

  const slotFor = (lang: OcrLanguage): Promise<LanguageSlot> => {
    let slot = slots.get(lang);
    if (!slot) {
      slot = startSlot(lang, opts.modelDirs?.[lang] ?? defaultModelDir(lang), startTimeoutMs);
      slots.set(lang, slot);
      slot.catch(() => { if (slots.get(lang) === slot) slots.delete(lang); }); // a later page may retry
    }
    return slot;
  };

  const read = async (lang: OcrLanguage, page: Buffer): Promise<Reading> => {
    const starting = slotFor(lang);
    const slot = await starting;
    const job = slot.queue.then(async (): Promise<Reading> => {
      if (slot.dead) return read(lang, page); // an earlier job lost this worker
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new OcrEngineError('recognize-timeout', `OCR (${lang}) took longer than ${recognizeTimeoutMs} ms`)), recognizeTimeoutMs);
      });
      try {
        const result = await Promise.race([slot.worker.recognize(page, {}, { text: false, blocks: true }), timeout, slot.died]);
        return { language: lang, confidence: result.data.confidence, blocks: result.data.blocks ?? [], readings: 1 };
      } catch (cause) {
        // The worker may be stuck or gone: drop it, the next page starts a fresh one.
        slot.dead = true;
        if (slots.get(lang) === starting) slots.delete(lang);
        void slot.worker.terminate();
        throw cause instanceof OcrEngineError ? cause : new OcrEngineError('recognize-failed', `OCR (${lang}) failed`, { cause });
      } finally {
        clearTimeout(timer);
      }
    });
    slot.queue = job.catch(() => {});
    return job;
  };

  const choose = async (page: Buffer, languages: OcrLanguageChoice, expect?: OcrLanguage): Promise<Reading> => {
    const list = languages === 'auto' ? ['chi_sim', 'chi_tra'] as const : [...new Set(languages)];
    if (list.length === 0) throw new OcrEngineError('recognize-failed', 'no OCR language given');
    if (list.length === 2 && list.includes('chi_sim') && list.includes('chi_tra')) {
      const expected = expect ? await read(expect, page) : null;
      if (expected && expected.confidence >= EXPECTED_KEEP_FROM) return expected;
      const simplified = expected?.language === 'chi_sim' ? expected : await read('chi_sim', page);
      if (!expected && simplified.confidence >= AUTO_SECOND_PASS_BELOW) return simplified;
      const traditional = expected?.language === 'chi_tra' ? expected : await read('chi_tra', page);
      const chosen = traditional.confidence >= simplified.confidence + AUTO_TRADITIONAL_MARGIN ? traditional : simplified;
      return { ...chosen, readings: 2 };
    }
    // Other lists: every model reads the page and the most confident reading wins (ties: first listed).
    let best: Reading | undefined;
    for (const lang of list) {
      const reading = await read(lang, page);
      if (!best || reading.confidence > best.confidence) best = reading;
    }
    return { ...(best as Reading), readings: list.length };
  };

  return {
    async recognize(image, languages, recognizeOpts = {}) {
      if (terminated) throw new OcrEngineError('terminated', 'the OCR engine has been terminated');
      const prepared = await prepareForOcr(image, { maxPixels: opts.maxPixels, page: recognizeOpts.page });
      return toOcrPage(await choose(prepared.pbm, languages, recognizeOpts.expect), prepared);
    },
    async terminate() {
      terminated = true;
      const starting = [...slots.values()];
      slots.clear();
      await Promise.all(starting.map((slot) => slot.then((s) => s.worker.terminate(), () => {})));
    },
  };
}
