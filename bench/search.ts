/**
 * Search benchmark: for each corpus size, indexing throughput through the reindex path, index size
 * on disk, Meilisearch memory, and latency of `/api/search` and the HTML `/search` page (the real
 * Express app on a real port, requests one after another) beside the same queries sent straight to
 * Meilisearch, in the same run. Every `/api/search` total is checked against the exact answer.
 *
 * Run alone: `npx tsx bench/search.ts --pages 10000,100000` (or through `npm run bench`).
 */
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { openArchive, prepareSearchIndex, type Archive } from '../src/archive.ts';
import { loadConfig } from '../src/config.ts';
import { MEILISEARCH_VERSION } from '../src/search/embedded-meilisearch.ts';
import { pageSearchText } from '../src/search/page-text.ts';
import { engineRequestFor } from '../src/search/page-search.ts';
import { rebuildPagesIndex } from '../src/search/reindex.ts';
import { createApp } from '../src/web/app.ts';
import { writeCorpus } from './corpus.ts';
import { buildQuerySet, searchParams, toTruthText, truthCount, type BenchQuery, type QueryKind, type TruthPage } from './search-queries.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export interface SearchBenchOptions {
  /** Corpus sizes in pages; default 10,000 and 100,000. */
  pages?: number[];
  /** Queries per size; default 300. */
  queries?: number;
  /** Keep bench/corpus/<pages> afterwards (default: removed, it is large). */
  keep?: boolean;
  log?: (line: string) => void;
}

/** Milliseconds per query: the app's JSON and HTML searches, and Meilisearch asked directly (see `direct`). */
interface Timing { api: number; html: number; direct: number; minimal: number }

interface SizeResult {
  /** One-minute load average when the queries started and ended: other work on the machine skews every figure. */
  load: [number, number];
  pages: number;
  documents: number;
  indexSeconds: number;
  diskBytes: number;
  rssBytes: number;
  peakRssBytes: number;
  queries: BenchQuery[];
  timings: Timing[];
  exact: number;
  mismatches: string[];
  /** `/search` pages that did not render (status other than 200); their times are still counted. */
  htmlErrors: number;
}

const percentile = (values: number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? 0;
};
const ms = (v: number) => v.toFixed(1);
const mib = (bytes: number) => `${(bytes / 1048576).toFixed(0)} MiB`;

/** Bytes the directory really occupies (allocated blocks, so sparse files count what they use). */
function diskUsage(dir: string): number {
  let total = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) total += diskUsage(full);
    else if (entry.isFile()) total += fs.statSync(full).blocks * 512;
  }
  return total;
}

function processMemory(pid: number | null): { rss: number; peak: number } {
  if (!pid) return { rss: 0, peak: 0 };
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? 0) * 1024;
  return { rss: kib('VmRSS'), peak: kib('VmHWM') };
}

function truthPages(archive: Archive): { truth: TruthPage[]; printed: string[] } {
  const truth: TruthPage[] = [];
  const printed: string[] = [];
  const docs = new Map<string, ReturnType<Archive['catalogue']['documents']['get']>>();
  for (const batch of archive.catalogue.pages.iterateAll(5000)) {
    for (const page of batch) {
      if (!docs.has(page.documentId)) docs.set(page.documentId, archive.catalogue.documents.get(page.documentId));
      const doc = docs.get(page.documentId);
      if (!doc) continue;
      printed.push(page.text);
      truth.push({
        text: toTruthText(pageSearchText(page)), collection: doc.collection?.slug ?? '', year: doc.yearFrom,
        yearTo: doc.yearTo ?? doc.yearFrom, published: doc.published,
      });
    }
  }
  return { truth, printed };
}

/**
 * The queries and the true total of each, worked out before any request is timed. The page texts
 * (hundreds of megabytes at 100,000 pages) are not kept: held in the process that also serves the
 * requests, they made every major garbage collection mark them, and those pauses landed on timed
 * requests (replaying these queries on a kept 100,000-page corpus, p95 of `/api/search` 31–35 ms
 * without them against 37–42 ms with them).
 */
function queriesWithTruth(archive: Archive, count: number): { queries: BenchQuery[]; expected: number[] } {
  const { truth, printed } = truthPages(archive);
  const queries = buildQuerySet(printed, count);
  return { queries, expected: queries.map((q) => truthCount(truth, q)) };
}

const agent = new http.Agent({ keepAlive: true });

/**
 * One request over a kept-alive connection with Nagle's algorithm off and the body in the same write
 * as the headers — as the service's own Meilisearch transport does — so that neither side's figures
 * carry the ~40 ms delayed-ACK stalls Node's fetch shows on this machine.
 */
function timed(url: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<{ ms: number; body: string; status: number }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const headers = { ...init.headers, ...(init.body !== undefined ? { 'Content-Length': String(Buffer.byteLength(init.body)) } : {}) };
    const req = http.request(url, { method: init.method ?? 'GET', headers, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ ms: performance.now() - started, body: Buffer.concat(chunks).toString('utf8'), status: res.statusCode ?? 0 }));
      res.on('error', reject);
    });
    req.on('socket', (socket) => socket.setNoDelay(true));
    req.on('error', reject);
    req.end(init.body);
  });
}

async function benchSize(pages: number, opts: SearchBenchOptions): Promise<SizeResult> {
  const log = opts.log ?? (() => {});
  const dir = path.join(ROOT, 'bench', 'corpus', String(pages));
  fs.rmSync(dir, { recursive: true, force: true });
  const archive = await openArchive(loadConfig({ DATA_DIR: dir, DEMO: '0', PORT: '0' }));
  try {
    const corpus = writeCorpus(archive.catalogue, { pages });
    log(`search: ${pages} pages written (${corpus.documents} documents); indexing…`);
    const started = performance.now();
    await rebuildPagesIndex(archive.catalogue, archive.engine);
    const indexSeconds = (performance.now() - started) / 1000;
    // Everything else the app prepares at start (the stories index the search page also asks).
    await prepareSearchIndex(archive);
    // The server holds the search texts in memory once loaded (a few seconds at 100,000 pages, in the
    // background from start): the latencies below are those of a server that has finished loading.
    await archive.searchTexts.load();
    log(`search: indexed in ${indexSeconds.toFixed(1)} s`);
    const diskBytes = diskUsage(path.join(dir, 'meili', 'data.ms'));

    const { queries, expected: expectedTotals } = queriesWithTruth(archive, opts.queries ?? 300);
    const server = createApp(archive, { log: () => {} }).listen(0, '127.0.0.1');
    await new Promise<void>((resolve) => server.once('listening', () => resolve()));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    /**
     * The query straight to Meilisearch, without formatting: `same` is the ranked request the service
     * itself sends (its facets, and the re-rank window of hits under relevance order); otherwise only
     * the first 20 hits without facets, the least a results page could ask.
     */
    const direct = (query: BenchQuery, same: boolean) => {
      const engine = engineRequestFor({
        q: query.q, page: 1, size: 20, collection: query.collection, yearFrom: query.yearFrom, yearTo: query.yearTo,
        sort: query.sort ?? 'relevance', includeUnpublished: false,
      });
      const extent = same ? { facets: engine.facets, hitsPerPage: engine.limit, page: 1, attributesToRetrieve: ['id'] } : { limit: 20 };
      return timed(`${archive.meili.url}/indexes/${archive.config.meiliIndexPrefix}pages/search`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${archive.meili.apiKey}` },
        body: JSON.stringify({ q: engine.q, filter: engine.filter, sort: engine.sort, locales: ['cmn'], matchingStrategy: 'all', ...extent }),
      });
    };
    const timings: Timing[] = [];
    const mismatches: string[] = [];
    let exact = 0;
    let htmlErrors = 0;
    const loadBefore = os.loadavg()[0] ?? 0;
    try {
      for (const query of queries.slice(0, 30)) { // warm-up: caches, JIT, page cache
        await timed(`${base}/api/search?${searchParams(query)}`);
        await direct(query, true);
        await direct(query, false);
      }
      for (const [i, query] of queries.entries()) {
        // Whichever asks first meets Meilisearch's data for the query cold (its first touch of the
        // query's words; up to several times the warm time): every other query asks it directly
        // first, so that neither side is measured warm throughout.
        const directFirst = i % 2 === 1;
        const askDirect = async () => ({ raw: await direct(query, true), minimal: await direct(query, false) });
        const early = directFirst ? await askDirect() : null;
        const api = await timed(`${base}/api/search?${searchParams(query)}`);
        const html = await timed(`${base}/search?${searchParams(query)}`);
        const { raw, minimal } = early ?? await askDirect();
        if (api.status !== 200 || raw.status !== 200 || minimal.status !== 200) {
          throw new Error(`query ${JSON.stringify(query)} failed: ${api.status} ${raw.status} ${api.body.slice(0, 200)}`);
        }
        if (html.status !== 200) htmlErrors++;
        timings.push({ api: api.ms, html: html.ms, direct: raw.ms, minimal: minimal.ms });
        const total = (JSON.parse(api.body) as { total: number }).total;
        const expected = expectedTotals[i];
        if (total === expected) exact++;
        else mismatches.push(`${JSON.stringify(query)}: ${total} ≠ ${expected}`);
      }
    } finally {
      server.close();
    }
    const memory = processMemory(archive.meili.pid);
    return {
      load: [loadBefore, os.loadavg()[0] ?? 0],
      pages, documents: corpus.documents, indexSeconds, diskBytes, rssBytes: memory.rss, peakRssBytes: memory.peak,
      queries, timings, exact, mismatches, htmlErrors,
    };
  } finally {
    await archive.close();
    if (!opts.keep) fs.rmSync(dir, { recursive: true, force: true });
  }
}

function machine(): string {
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  return `${os.availableParallelism()} cores (${cpu}), ${(os.totalmem() / 1073741824).toFixed(1)} GiB RAM, Node ${process.version}, Meilisearch ${MEILISEARCH_VERSION}`;
}

function report(results: SizeResult[], command: string): string {
  const lines = [
    '## Search', '',
    `Machine: ${machine()}. Date: ${new Date().toISOString().slice(0, 10)}. Command: \`${command}\`.`, '',
    'Synthetic corpus (`bench/corpus.ts`): recombined 文史 sentences, 800–1,500 characters a page, 10 % of documents in traditional characters. ' +
      'Indexing goes through the reindex path; latencies are sequential requests to the real app on a real port. ' +
      '"Direct" sends Meilisearch the ranked request the service sends for the query (its phrases, filters, facets and, under relevance ' +
      'order, the 200 hits the service re-ranks), without formatting; "direct, 20 hits" asks only for the first 20 hits without facets. ' +
      'Each query is timed once each way, the direct requests before the app\'s for every other query (whichever comes first meets the query\'s data cold).', '',
    'How it stays exact: terms of up to four characters are phrases of character pairs that Meilisearch matches ' +
      'exactly, so hits, total and facets come straight from it. A longer term is exact too once the pages where its ' +
      'four-character windows could stand apart are checked: only pages whose branching trigrams (`branch` field) ' +
      'allow it are listed and checked against the stored normalised text (held in memory by the server). Terms with a repeat inside a ' +
      'window list and check every candidate. "totals exact" compares every `/api/search` total with a substring ' +
      'count over the normalised text of all pages.', '',
    `Load average (1 min) while the queries ran: ${results.map((r) => `${r.load[0].toFixed(1)}–${r.load[1].toFixed(1)} at ${r.pages.toLocaleString('en')} pages`).join(', ')} ` +
      `(${os.availableParallelism()} cores; other work on the machine slows every figure alike).`, '',
    '| pages | documents | indexing | index on disk | Meilisearch RSS (peak) |',
    '| ---: | ---: | ---: | ---: | ---: |',
    ...results.map((r) => `| ${r.pages.toLocaleString('en')} | ${r.documents} | ${(r.pages / r.indexSeconds).toFixed(0)} pages/s (${r.indexSeconds.toFixed(0)} s) | ${mib(r.diskBytes)} | ${mib(r.rssBytes)} (${mib(r.peakRssBytes)}) |`),
    '',
    '| pages | queries | `/api/search` p50 / p95 | `/search` p50 / p95 | Meilisearch direct p50 / p95 | p95 above direct | direct, 20 hits p50 / p95 | totals exact |',
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...results.map((r) => {
      const api = r.timings.map((t) => t.api);
      const direct = r.timings.map((t) => t.direct);
      const minimal = r.timings.map((t) => t.minimal);
      const html = r.timings.map((t) => t.html);
      return `| ${r.pages.toLocaleString('en')} | ${r.queries.length} | ${ms(percentile(api, 50))} / ${ms(percentile(api, 95))} ms | ` +
        `${ms(percentile(html, 50))} / ${ms(percentile(html, 95))} ms | ${ms(percentile(direct, 50))} / ${ms(percentile(direct, 95))} ms | ` +
        `${ms(percentile(api, 95) - percentile(direct, 95))} ms | ${ms(percentile(minimal, 50))} / ${ms(percentile(minimal, 95))} ms | ${r.exact}/${r.queries.length} |`;
    }),
  ];
  const largest = results[results.length - 1];
  if (largest) {
    lines.push('', `By kind of query at ${largest.pages.toLocaleString('en')} pages (\`/api/search\` and direct, p50 / p95 in ms):`, '',
      '| kind | queries | `/api/search` | direct |', '| --- | ---: | ---: | ---: |');
    const kinds = [...new Set(largest.queries.map((q) => q.kind))] as QueryKind[];
    for (const kind of kinds) {
      const rows = largest.timings.filter((_t, i) => largest.queries[i]?.kind === kind);
      const api = rows.map((t) => t.api);
      const direct = rows.map((t) => t.direct);
      lines.push(`| ${kind} | ${rows.length} | ${ms(percentile(api, 50))} / ${ms(percentile(api, 95))} | ${ms(percentile(direct, 50))} / ${ms(percentile(direct, 95))} |`);
    }
  }
  for (const r of results) {
    if (r.htmlErrors > 0) lines.push('', `At ${r.pages} pages, ${r.htmlErrors} \`/search\` pages did not render (status ≠ 200).`);
    if (r.mismatches.length > 0) lines.push('', `Totals that differ from the truth at ${r.pages} pages:`, '', ...r.mismatches.slice(0, 20).map((m) => `- ${m}`));
  }
  return lines.join('\n') + '\n';
}

/** Runs the search benchmark and returns its `## Search` section of BENCHMARKS.md. */
export async function benchSearch(opts: SearchBenchOptions = {}): Promise<string> {
  const sizes = opts.pages ?? [10_000, 100_000];
  const results: SizeResult[] = [];
  for (const pages of sizes) results.push(await benchSize(pages, opts));
  return report(results, `npm run bench -- --pages ${sizes.join(',')}`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({ options: { pages: { type: 'string', default: '10000,100000' }, queries: { type: 'string' }, keep: { type: 'boolean' } } });
  const pages = values.pages.split(',').map(Number);
  console.log(await benchSearch({ pages, queries: values.queries ? Number(values.queries) : undefined, keep: values.keep, log: (l) => console.error(l) }));
}
