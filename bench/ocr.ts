/**
 * OCR benchmark: our engine (sharp preparation + tesseract.js, 'auto' language, and told the language) against native
 * Tesseract 5 on the scan fixtures, in the same run. Run alone: `npx tsx bench/ocr.ts`.
 *
 * Both sides use the 2 cores the same way: ours as two engine instances reading two pages at a
 * time, native as two `tesseract` processes with OMP_THREAD_LIMIT=1. Native reads the upright page
 * as it is ("raw") and the page after our preparation ("prep"), to tell engine from preparation;
 * it gets the language our 'auto' chose for the page, so it is spared auto's second pass.
 * Native needs Debian's tesseract-ocr, tesseract-ocr-chi-sim and tesseract-ocr-chi-tra.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { PAGE_BREAK } from '../fixtures/build/make-scans.ts';
import { imagePageCount, prepareForOcr, uprightPage } from '../ingest/image-prep.ts';
import { AUTO_SECOND_PASS_BELOW, createOcrEngine, type OcrEngine, type OcrLanguage } from '../ingest/ocr.ts';
import { expectedScript } from '../ingest/volume-script.ts';
import { ocrCharacterErrorRate } from '../test/support/ocr-cer.ts';

const SCANS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/scans');
const LANES = 2; // cores on the project's machines
const ROUNDS = 2;
const COPIES = 4; // per-fixture runs read its pages this many times, so a run lasts a few seconds
const run = promisify(execFile);

interface BenchPage {
  fixture: string;
  page: number;
  image: Buffer;
  truth: string;
  rawPng: string; // paths of the page images handed to native tesseract
  prepPng: string;
  language?: OcrLanguage;
}

/** Runs items through `lanes` parallel workers; returns results in item order and the wall time. */
async function inLanes<T, R>(items: T[], lanes: number, work: (item: T, lane: number) => Promise<R>): Promise<{ results: R[]; ms: number }> {
  const results = new Array<R>(items.length);
  let next = 0;
  const started = performance.now();
  await Promise.all(Array.from({ length: lanes }, async (_, lane) => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index] as T, lane);
    }
  }));
  return { results, ms: performance.now() - started };
}

async function loadPages(dir: string): Promise<BenchPage[]> {
  const pages: BenchPage[] = [];
  for (const file of (await readdir(SCANS)).filter((f) => /\.(jpe?g|png|tiff?)$/i.test(f)).sort()) {
    const image = await readFile(path.join(SCANS, file));
    const truths = (await readFile(path.join(SCANS, file.replace(/\.\w+$/, '.gt.txt')), 'utf8')).split(PAGE_BREAK);
    const count = await imagePageCount(image);
    for (let page = 0; page < count; page++) {
      const rawPng = path.join(dir, `${file}.${page}.raw.png`);
      const prepPng = path.join(dir, `${file}.${page}.prep.pbm`);
      await writeFile(rawPng, await uprightPage(image, { page }));
      await writeFile(prepPng, (await prepareForOcr(image, { page })).pbm);
      pages.push({ fixture: file, page, image, truth: truths[page] ?? '', rawPng, prepPng });
    }
  }
  return pages;
}

/** Native tesseract's version line, or null when the command or a Chinese model is missing. */
async function nativeVersion(): Promise<string | null> {
  try {
    const version = await run('tesseract', ['--version']);
    const langs = await run('tesseract', ['--list-langs']);
    const listed = `${langs.stdout}${langs.stderr}`;
    if (!/\bchi_sim\b/.test(listed) || !/\bchi_tra\b/.test(listed)) return null;
    return `${version.stdout}${version.stderr}`.split('\n')[0]?.trim() ?? 'tesseract';
  } catch {
    return null;
  }
}

/** CPU milliseconds used by native tesseract processes so far (from the shell's `times`). */
let nativeCpuMs = 0;

/** Reads a page with native tesseract; the shell wrapper reports the process's CPU time. */
async function readNative(png: string, outBase: string, language: OcrLanguage): Promise<string> {
  const args = [png, outBase, '--psm', '3', '--oem', '1', '--dpi', '300', '-l', language, '-c', 'preserve_interword_spaces=1'];
  const { stdout } = await run('sh', ['-c', 'tesseract "$@" >/dev/null 2>&1 || exit 1; times', 'sh', ...args], {
    env: { ...process.env, OMP_THREAD_LIMIT: '1' }, // one thread per process, one process per core
  });
  // `times` prints the shell's own user/system time, then its children's: "0m1.234s 0m0.056s".
  const children = /(\d+)m([\d.]+)s\s+(\d+)m([\d.]+)s\s*$/.exec(stdout.trim());
  if (children) nativeCpuMs += (Number(children[1]) * 60 + Number(children[2]) + Number(children[3]) * 60 + Number(children[4])) * 1000;
  return readFile(`${outBase}.txt`, 'utf8');
}

const ownCpuMs = (): number => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; }; // all threads of this process

interface Speed { ppm: number; cpuSecPerPage: number }
interface Side { cer: number[]; byFixture: Map<string, Speed>; all: Speed }

/** A way of reading a page, with the CPU clock that counts its work. */
interface Reader { read: (page: BenchPage, lane: number) => Promise<string>; cpuMs: () => number }

/**
 * Error rates from one read of every page; pages/minute and CPU per page as the best of ROUNDS timed
 * runs (other work on the machine only ever slows a run down): all pages once, and per fixture its
 * pages COPIES times, always LANES at a time. The readers take turns within each group, in an order
 * that alternates from round to round, so that a slow minute of this shared machine falls on all of
 * them alike rather than on whichever happened to run then.
 */
async function measureTogether(pages: BenchPage[], readers: Reader[]): Promise<Side[]> {
  const cer: number[][] = [];
  for (const reader of readers) {
    const all = await inLanes(pages, LANES, reader.read);
    cer.push(all.results.map((text, i) => ocrCharacterErrorRate(text, pages[i]?.truth ?? '')));
  }
  const fixtures = [...new Set(pages.map((p) => p.fixture))];
  const groups: Array<{ fixture: string | null; items: BenchPage[] }> = [
    ...fixtures.map((fixture) => ({ fixture, items: Array.from({ length: COPIES }, () => pages.filter((p) => p.fixture === fixture)).flat() })),
    { fixture: null, items: pages },
  ];
  const sides: Side[] = readers.map((_r, i) => ({ cer: cer[i] ?? [], byFixture: new Map(), all: { ppm: 0, cpuSecPerPage: 0 } }));
  for (const group of groups) {
    const best = readers.map(() => ({ ms: Infinity, cpu: Infinity }));
    for (let round = 0; round < ROUNDS; round++) {
      const order = readers.map((_r, i) => (round % 2 === 0 ? i : readers.length - 1 - i));
      for (const i of order) {
        const reader = readers[i]!;
        const cpuBefore = reader.cpuMs();
        const ms = (await inLanes(group.items, LANES, reader.read)).ms;
        best[i]!.ms = Math.min(best[i]!.ms, ms);
        best[i]!.cpu = Math.min(best[i]!.cpu, reader.cpuMs() - cpuBefore);
      }
    }
    best.forEach((b, i) => {
      const speed = { ppm: (group.items.length / b.ms) * 60_000, cpuSecPerPage: b.cpu / group.items.length / 1000 };
      if (group.fixture === null) sides[i]!.all = speed;
      else sides[i]!.byFixture.set(group.fixture, speed);
    });
  }
  return sides;
}

const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
const f3 = (x: number | undefined): string => (x === undefined ? '–' : x.toFixed(3));
const f1 = (x: number | undefined): string => (x === undefined ? '–' : x.toFixed(1));
const f2 = (x: number | undefined): string => (x === undefined ? '–' : x.toFixed(2));

/**
 * A traditional volume: the traditional scans in turn, read one after another as the pages of one
 * document, by 'auto' on its own (every page decided afresh) and with the volume's script expected
 * (volume-script.ts, as the OCR stage does), beside native told chi_tra. CPU seconds per page.
 */
async function volumeRows(engine: OcrEngine, pages: BenchPage[], dir: string, withNative: boolean): Promise<string[]> {
  const volume = Array.from({ length: 3 }, () => pages.filter((p) => p.language === 'chi_tra')).flat();
  if (volume.length === 0) return [];
  const cpuPerPage = async (read: (page: BenchPage, n: number, recent: OcrLanguage[]) => Promise<OcrLanguage>, cpu: () => number) => {
    const before = cpu();
    const recent: OcrLanguage[] = [];
    for (const [i, page] of volume.entries()) recent.push(await read(page, i + 1, recent));
    return { seconds: (cpu() - before) / volume.length / 1000, languages: recent };
  };
  const plain = await cpuPerPage(async (page) => (await engine.recognize(page.image, 'auto', { page: page.page })).language, ownCpuMs);
  const expecting = await cpuPerPage(async (page, n, recent) =>
    (await engine.recognize(page.image, 'auto', { page: page.page, expect: expectedScript(recent, n) ?? undefined })).language, ownCpuMs);
  const native = withNative
    ? await cpuPerPage(async (page) => { await readNative(page.rawPng, path.join(dir, 'out-volume'), 'chi_tra'); return 'chi_tra'; }, () => nativeCpuMs)
    : null;
  const traditional = (r: { languages: OcrLanguage[] }) => `${r.languages.filter((l) => l === 'chi_tra').length}/${volume.length}`;
  return [
    '',
    `A traditional volume of ${volume.length} pages (the traditional scans in turn), read in order as one document, one page at a time:`,
    '',
    '| reader | pages read as traditional | CPU s/page |',
    '| --- | ---: | ---: |',
    `| ours, 'auto' deciding every page afresh | ${traditional(plain)} | ${f2(plain.seconds)} |`,
    `| ours, 'auto' expecting the volume's script (as the OCR stage reads) | ${traditional(expecting)} | ${f2(expecting.seconds)} |`,
    `| native, told chi_tra | – | ${f2(native?.seconds)} |`,
  ];
}

/** Runs the benchmark and returns a Markdown table. */
export async function benchOcr(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'wenshi-bench-ocr-'));
  const engines: OcrEngine[] = [];
  try {
    const pages = await loadPages(dir);
    for (let i = 0; i < LANES; i++) engines.push(await createOcrEngine());
    // Warm-up: start both language workers of every engine, a one-off cost per process.
    const warm = pages.find((p) => p.fixture.includes('traditional')) ?? pages[0];
    if (warm) await Promise.all(engines.map((e) => e.recognize(warm.image, 'auto')));

    // 'auto' reads every page once first: the language it chooses is what the other readers are told.
    for (const [lane, page] of pages.entries()) page.language = (await (engines[lane % LANES] as OcrEngine).recognize(page.image, 'auto', { page: page.page })).language;
    const ours: Reader = { read: async (page, lane) => (await (engines[lane] as OcrEngine).recognize(page.image, 'auto', { page: page.page })).text, cpuMs: ownCpuMs };
    // Like for like with native, which must be told the language: ours given the language auto chose.
    const toldReader: Reader = {
      read: async (page, lane) => (await (engines[lane] as OcrEngine).recognize(page.image, [page.language ?? 'chi_sim'], { page: page.page })).text,
      cpuMs: ownCpuMs,
    };
    const version = await nativeVersion();
    const nativeReader = (image: (p: BenchPage) => string): Reader => ({
      read: (page, lane) => readNative(image(page), path.join(dir, `out-${lane}`), page.language ?? 'chi_sim'), cpuMs: () => nativeCpuMs,
    });
    const measured = await measureTogether(pages, version ? [ours, toldReader, nativeReader((p) => p.rawPng), nativeReader((p) => p.prepPng)] : [ours, toldReader]);
    const [oursSide, told] = measured as [Side, Side];
    const nativeRaw = measured[2] ?? null;
    const nativePrep = measured[3] ?? null;

    const speeds = (pick: (side: Side) => Speed | undefined) => [oursSide, told, nativeRaw, nativePrep].map((side) => (side ? pick(side) : undefined));
    const speedCells = (list: (Speed | undefined)[]) => [...list.map((x) => f1(x?.ppm)), ...list.map((x) => f2(x?.cpuSecPerPage))].join(' | ');
    const rows = pages.map((p, i) => {
      const name = p.page > 0 || pages.some((q) => q.fixture === p.fixture && q.page > 0) ? `${p.fixture} p${p.page + 1}` : p.fixture;
      return `| ${name} | ${p.language ?? '?'} | ${f3(oursSide.cer[i])} | ${f3(told.cer[i])} | ${f3(nativeRaw?.cer[i])} | ${f3(nativePrep?.cer[i])} | ${speedCells(speeds((side) => side.byFixture.get(p.fixture)))} |`;
    });
    const all = speeds((side) => side.all);
    const volume = await volumeRows(engines[0] as OcrEngine, pages, dir, version !== null);
    const lines = [
      `OCR benchmark: ${pages.length} pages from fixtures/scans, ${LANES} pages in parallel. Native: ${version ?? 'not installed (apt-get install tesseract-ocr tesseract-ocr-chi-sim tesseract-ocr-chi-tra) — native columns empty'}.`,
      '',
      '| page | auto chose | CER ours | CER ours told | CER native raw | CER native prep | pages/min ours | ours told | native raw | native prep | CPU s/page ours | ours told | native raw | native prep |',
      '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
      ...rows,
      `| **mean / all pages** | | ${f3(mean(oursSide.cer))} | ${f3(mean(told.cer))} | ${f3(nativeRaw ? mean(nativeRaw.cer) : undefined)} | ${f3(nativePrep ? mean(nativePrep.cer) : undefined)} | ${speedCells(all)} |`,
      '',
      'CER: edit distance / reference length, whitespace removed, full-width punctuation folded. Ours includes decoding, preparation and the',
      `'auto' second pass (chi_tra, run when chi_sim's confidence is below ${AUTO_SECOND_PASS_BELOW}); "ours told" is given the language auto chose, as native is;`,
      `native reads images made beforehand (not timed: the upright page as PNG, our prepared page as PBM), in the language ours chose. Pages/min per fixture: its pages read ${COPIES} times, two at a time;`,
      `last row: every page once, two at a time; best of ${ROUNDS} runs, warm workers, the four readers taking turns in each run.`,
      'CPU s/page: processor time per page (ours: all threads of this process; native: the tesseract processes), which other load on the machine',
      'disturbs less than wall time; on 2 otherwise idle cores, pages/min ≈ 120 / CPU s/page.',
      ...volume,
    ];
    return lines.join('\n');
  } finally {
    await Promise.all(engines.map((e) => e.terminate()));
    await rm(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  console.log(await benchOcr());
}
