/**
 * `npm run bench`: runs every benchmark module present in bench/ and prints its figures (Markdown).
 * Nothing tracked by git is written unless `--record` is given: then each module's `## …` section
 * replaces the section of the same title in BENCHMARKS.md (or is appended), leaving the others as
 * they are.
 *
 * Options: `--pages 10000,100000` (search corpus sizes), `--only search,ingest,ocr,load`, `--record`.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const BENCH = path.dirname(fileURLToPath(import.meta.url));
const BENCHMARKS_MD = path.join(BENCH, '..', 'BENCHMARKS.md');

interface BenchOptions { pages?: number[]; log: (line: string) => void }
type BenchFunction = (opts: BenchOptions) => Promise<string>;

/** The modules `npm run bench` knows, by file and exported function; missing files are skipped. */
const MODULES: Array<{ name: string; file: string; exportName: string }> = [
  { name: 'ingest', file: 'ingest.ts', exportName: 'benchIngest' },
  { name: 'ocr', file: 'ocr.ts', exportName: 'benchOcr' },
  { name: 'search', file: 'search.ts', exportName: 'benchSearch' },
  { name: 'load', file: 'load.ts', exportName: 'benchLoad' },
];

/** The `## Title` of a Markdown section (its first line). */
function sectionTitle(section: string): string | null {
  return /^## .+$/m.exec(section)?.[0]?.trim() ?? null;
}

/** Replaces the section with the same `## ` title in `doc`, or appends it; other sections stay as they are. */
export function replaceSection(doc: string, section: string): string {
  const title = sectionTitle(section);
  if (!title) throw new Error('a benchmark section must start with a "## " title');
  const lines = doc.split('\n');
  const start = lines.findIndex((l) => l.trim() === title);
  const body = section.trimEnd().split('\n');
  if (start === -1) return `${doc.trimEnd()}\n\n${body.join('\n')}\n`;
  let end = lines.findIndex((l, i) => i > start && /^## /.test(l));
  if (end === -1) end = lines.length;
  const after = lines.slice(end);
  return [...lines.slice(0, start), ...body, ...(after.length > 0 ? ['', ...after] : [])].join('\n').trimEnd() + '\n';
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { pages: { type: 'string' }, only: { type: 'string' }, record: { type: 'boolean', default: false } },
  });
  const only = values.only ? new Set(values.only.split(',')) : null;
  const pages = values.pages ? values.pages.split(',').map(Number) : undefined;
  const log = (line: string) => console.error(line);
  const sections: string[] = [];
  for (const mod of MODULES) {
    if (only && !only.has(mod.name)) continue;
    const file = path.join(BENCH, mod.file);
    if (!fs.existsSync(file)) {
      log(`bench: ${mod.file} not present, skipped`);
      continue;
    }
    const loaded = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
    const run = loaded[mod.exportName];
    if (typeof run !== 'function') {
      log(`bench: ${mod.file} does not export ${mod.exportName}, skipped`);
      continue;
    }
    log(`bench: ${mod.name}…`);
    // Corpus sizes are the search benchmark's; the load benchmark has its own default size.
    const section = await (run as BenchFunction)(mod.name === 'search' ? { pages, log } : { log });
    console.log(section);
    sections.push(section);
  }
  if (values.record && sections.length > 0) {
    let doc = fs.existsSync(BENCHMARKS_MD) ? fs.readFileSync(BENCHMARKS_MD, 'utf8') : '# Benchmarks\n\nFigures measured with `npm run bench -- --record`; each section is replaced by its own benchmark.\n';
    for (const section of sections) doc = replaceSection(doc, section);
    fs.writeFileSync(BENCHMARKS_MD, doc);
    log(`bench: recorded ${sections.map(sectionTitle).join(', ')} in BENCHMARKS.md`);
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().then(() => process.exit(0), (error: unknown) => {
    console.error(error instanceof Error ? error.stack ?? error.message : error);
    process.exit(1);
  });
}
