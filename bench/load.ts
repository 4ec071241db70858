/**
 * Load benchmark: the real server process (`src/main.ts`, embedded Meilisearch) over an archive of
 * 10,000 generated pages (bench/corpus.ts), 50 concurrent clients for 60 s — half on `/search` with
 * varied queries, half on page views — while an OCR job (the 20-page scan fixture) runs. Records
 * errors (non-2xx, socket errors, timeouts), latency percentiles and throughput per kind, and the peak
 * memory of the server process (its job thread and OCR engines included) and of Meilisearch.
 *
 * Run alone: `npx tsx bench/load.ts [--pages 10000] [--seconds 60] [--connections 50] [--record]`
 * (or through `npm run bench`).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { createCatalogue } from '../src/catalogue/index.ts';
import { writeCorpus } from './corpus.ts';
import { PLACES, SHORT_UNITS, UNITS } from './corpus-seeds.ts';
import { freePort } from '../test/support/server-process.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SCAN = path.join(ROOT, 'fixtures', 'scans', 'pdf-scan-20-pages.pdf');
const ADMIN = { name: 'load-admin', password: 'load-admin-password' };
const BASIC = `Basic ${Buffer.from(`${ADMIN.name}:${ADMIN.password}`).toString('base64')}`;

export interface LoadBenchOptions {
  /** Pages in the generated archive (at least 10,000 for the recorded figures). */
  pages?: number;
  seconds?: number;
  connections?: number;
  log?: (line: string) => void;
}

interface KindResult { requests: number; non2xx: number; errors: number; timeouts: number; latencies: number[]; bytes: number }

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const percentile = (values: number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? 0;
};
const mib = (bytes: number) => `${(bytes / 1048576).toFixed(0)} MiB`;


function rssOf(pid: number): number {
  try {
    return Number(/^VmRSS:\s+(\d+)/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) * 1024;
  } catch {
    return 0;
  }
}

/** The server's job process (src/job-process.ts), found among its children. */
function jobProcessOf(serverPid: number): number {
  try {
    const children = fs.readFileSync(`/proc/${serverPid}/task/${serverPid}/children`, 'utf8').trim().split(/\s+/).map(Number);
    return children.find((pid) => fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('job-process-main')) ?? 0;
  } catch {
    return 0;
  }
}

/** Queries a historian might type: places, units, two-character fragments of them, and two-term ANDs. */
function queries(): string[] {
  const words = [...PLACES, ...UNITS, ...SHORT_UNITS];
  const fragments = words.filter((w) => w.length >= 3).map((w) => w.slice(1, 3));
  const pairs = PLACES.map((p, i) => `${p} ${SHORT_UNITS[i % SHORT_UNITS.length]}`);
  return [...words, ...fragments, ...pairs];
}

async function api<T>(base: string, pathname: string, init: RequestInit = {}): Promise<T> {
  const res = await fetch(`${base}${pathname}`, { ...init, headers: { Authorization: BASIC, ...(init.headers ?? {}) } });
  if (!res.ok) throw new Error(`${pathname}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

/** One autocannon run over `paths`, taken in turn; latencies of every response are kept for exact percentiles. */
function hammer(base: string, paths: string[], connections: number, seconds: number): Promise<KindResult> {
  let next = 0;
  const result: KindResult = { requests: 0, non2xx: 0, errors: 0, timeouts: 0, latencies: [], bytes: 0 };
  return new Promise((resolve, reject) => {
    const instance = autocannon({
      url: base, connections, duration: seconds, timeout: 30,
      requests: [{ setupRequest: (req) => ({ ...req, path: paths[next++ % paths.length]! }) }],
    }, (error, summary) => {
      if (error) return reject(error);
      result.requests = summary.requests.total;
      result.non2xx = summary.non2xx;
      result.errors = summary.errors;
      result.timeouts = summary.timeouts;
      result.bytes = summary.throughput.total;
      resolve(result);
    });
    instance.on('response', (_client, _status, _bytes, responseTime) => { result.latencies.push(responseTime); });
  });
}

export async function benchLoad(opts: LoadBenchOptions = {}): Promise<string> {
  const log = opts.log ?? ((line: string) => console.error(line));
  const pages = opts.pages ?? 10_000;
  const seconds = opts.seconds ?? 60;
  const connections = opts.connections ?? 50;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wenshi-bench-load-'));
  let server: ReturnType<typeof spawn> | null = null;
  try {
    log(`load: writing ${pages} pages…`);
    const catalogue = createCatalogue(dataDir);
    const corpus = writeCorpus(catalogue, { pages, seed: 11 });
    const pageViews = catalogue.db
      .prepare<[], { document_id: string; number: number }>(
        "SELECT p.document_id, p.number FROM pages p JOIN documents d ON d.id = p.document_id WHERE d.published = 1 ORDER BY random() LIMIT 2000",
      )
      .all()
      .map((p) => `/documents/${p.document_id}/pages/${p.number}`);
    catalogue.close();
    const searches = queries().map((q) => `/search?q=${encodeURIComponent(q)}`);

    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir, PORT: String(port), DEMO: '0', ADMIN_USER: ADMIN.name, ADMIN_PASSWORD: ADMIN.password };
    delete env.MEILI_URL;
    delete env.MEILI_MASTER_KEY;
    log('load: starting the server (it builds the index of the new archive)…');
    const started = Date.now();
    server = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], { cwd: ROOT, env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    server.stderr!.on('data', (d: Buffer) => { stderr += d.toString(); });
    for (;;) {
      if (server.exitCode !== null) throw new Error(`the server exited: ${stderr}`);
      try {
        if ((await fetch(`${base}/healthz`)).ok) break;
      } catch { /* still starting */ }
      await sleep(500);
    }
    const startSeconds = (Date.now() - started) / 1000;
    const meiliPid = (JSON.parse(fs.readFileSync(path.join(dataDir, 'meili', 'instance.json'), 'utf8')) as { pid: number }).pid;

    log('load: starting an OCR job…');
    const form = new FormData();
    form.append('lang', 'chi_sim');
    form.append('files', new Blob([new Uint8Array(fs.readFileSync(SCAN))]), 'pdf-scan-20-pages.pdf');
    const upload = await api<{ jobs: Array<{ id: string }> }>(base, '/api/documents', { method: 'POST', body: form });
    const jobId = upload.jobs[0]!.id;
    type Job = { status: string; stage: string; pagesDone: number; pagesTotal: number };
    let job = await api<Job>(base, `/api/jobs/${jobId}`);
    while (job.stage !== 'ocr' && job.status !== 'failed' && job.status !== 'done') {
      await sleep(250);
      job = await api<Job>(base, `/api/jobs/${jobId}`);
    }
    const ocrBefore = job.pagesDone;

    const jobPid = jobProcessOf(server.pid!);
    const peak = { server: rssOf(server.pid!), jobs: rssOf(jobPid), meili: rssOf(meiliPid) };
    const sampler = setInterval(() => {
      peak.server = Math.max(peak.server, rssOf(server!.pid!));
      peak.jobs = Math.max(peak.jobs, rssOf(jobPid));
      peak.meili = Math.max(peak.meili, rssOf(meiliPid));
    }, 500);
    const loadBefore = os.loadavg()[0]!;
    log(`load: ${connections} clients for ${seconds} s…`);
    const half = Math.max(1, Math.floor(connections / 2));
    const [search, view] = await Promise.all([
      hammer(base, searches, half, seconds),
      hammer(base, pageViews, connections - half, seconds),
    ]);
    clearInterval(sampler);
    const loadAfter = os.loadavg()[0]!;
    job = await api<Job>(base, `/api/jobs/${jobId}`);
    const ocrDuring = job.pagesDone - ocrBefore;
    const health = await fetch(`${base}/healthz`);

    const row = (name: string, r: KindResult) => {
      const errors = r.non2xx + r.errors + r.timeouts;
      const detail = errors > 0 ? ` (${r.non2xx} non-2xx, ${r.errors} socket errors, ${r.timeouts} timeouts)` : '';
      const t = (v: number) => v.toFixed(0);
      return `| ${name} | ${r.requests} | **${errors}**${detail} | ${(r.requests / seconds).toFixed(1)} | ${t(percentile(r.latencies, 50))} | **${t(percentile(r.latencies, 95))}** | ${t(percentile(r.latencies, 99))} | ${t(Math.max(0, ...r.latencies))} |`;
    };
    const all: KindResult = {
      requests: search.requests + view.requests, non2xx: search.non2xx + view.non2xx, errors: search.errors + view.errors,
      timeouts: search.timeouts + view.timeouts, latencies: [...search.latencies, ...view.latencies], bytes: search.bytes + view.bytes,
    };
    const cpu = os.cpus()[0]?.model.trim() ?? 'unknown CPU';
    return [
      '## Load',
      '',
      `Machine: ${os.availableParallelism()} cores (${cpu}), ${mib(os.totalmem())} RAM, Node ${process.version}; one-minute load average ` +
        `${loadBefore.toFixed(1)} before and ${loadAfter.toFixed(1)} after the run (other work shares the machine). Date: ${new Date().toISOString().slice(0, 10)}. ` +
        'Command: `npx tsx bench/load.ts` (also part of `npm run bench`).',
      '',
      `The server process (\`src/main.ts\`, embedded Meilisearch) over a generated archive of ${corpus.pages} pages in ${corpus.documents} documents ` +
        `(started and indexed in ${startSeconds.toFixed(0)} s), ${connections} concurrent clients (autocannon) for ${seconds} s: ${half} on \`/search\` with ` +
        `${searches.length} varied queries (places, units, two-character fragments, two-term AND), ${connections - half} on \`/documents/:id/pages/:n\` ` +
        `over 2,000 random pages — while the OCR of \`fixtures/scans/pdf-scan-20-pages.pdf\` ran (${ocrDuring} pages recognised during the run; ` +
        `the job runs in its own process at nice 10). Errors count non-2xx answers, socket errors and timeouts (30 s). Latencies in ms.`,
      '',
      '| requests | total | errors | req/s | p50 | p95 | p99 | max |',
      '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
      row('`/search`', search),
      row('page views', view),
      row('**all**', all),
      '',
      `Peak memory: server process ${mib(peak.server)}, job process ${mib(peak.jobs)} (OCR engines included), Meilisearch ${mib(peak.meili)}. ` +
        `\`/healthz\` after the run: ${health.status}.`,
      '',
    ].join('\n');
  } finally {
    if (server && server.exitCode === null) {
      const exited = new Promise((r) => server!.once('exit', r));
      server.kill('SIGTERM');
      await Promise.race([exited, sleep(15_000)]);
    }
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { pages: { type: 'string' }, seconds: { type: 'string' }, connections: { type: 'string' }, record: { type: 'boolean', default: false } },
  });
  const section = await benchLoad({
    pages: values.pages ? Number(values.pages) : undefined,
    seconds: values.seconds ? Number(values.seconds) : undefined,
    connections: values.connections ? Number(values.connections) : undefined,
  });
  console.log(section);
  if (values.record) {
    const { replaceSection } = await import('./run.ts');
    const file = path.join(ROOT, 'BENCHMARKS.md');
    fs.writeFileSync(file, replaceSection(fs.readFileSync(file, 'utf8'), section));
    console.error('load: recorded ## Load in BENCHMARKS.md');
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().then(() => process.exit(0), (error: unknown) => {
    console.error(error instanceof Error ? error.stack ?? error.message : error);
    process.exit(1);
  });
}
