import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../src/config.ts';
import { openArchive, prepareSearchIndex, type Archive } from '../src/archive.ts';
import type { JobRecord } from '../src/catalogue/types.ts';
import { ownerIsAlive, runJob } from './job-runner.ts';
import { processOwner, recordRejection, submitFile, tooLargeMessage } from './pipeline.ts';
import { decodeFileName } from './file-names.ts';
import { createProgressDisplay } from './progress-display.ts';
import { parseLanguageChoice } from './languages.ts';

const USAGE = `usage: npm run ingest -- [--collection SLUG] [--title TEXT] [--lang auto|chi_sim|chi_tra|eng] [--publish] [--json] PATH...`;

export interface FileReport { file: string; status: 'imported' | 'duplicate' | 'failed'; documentId?: string; pages?: number; error?: string }

/** A file to import: `given` as reported, `path` to open (bytes when a name is not UTF-8). */
export interface InputFile { given: string; path: string | Buffer }

/** Files given directly, and every file inside given folders (recursively, sorted, hidden files skipped). */
export function expandPaths(paths: string[]): InputFile[] {
  const out: InputFile[] = [];
  // Folder entries are read as bytes: a name that is not UTF-8 (a GBK name from an old Windows share)
  // would otherwise come back with replacement characters, and the file could not be opened by it.
  const walk = (dir: Buffer, shown: string) => {
    const entries = fs.readdirSync(dir, { withFileTypes: true, encoding: 'buffer' })
      .map((entry) => ({ entry, name: decodeFileName(entry.name) }))
      .sort((a, b) => a.name.localeCompare(b.name));
    for (const { entry, name } of entries) {
      if (name.startsWith('.')) continue;
      const full = Buffer.concat([dir, Buffer.from(path.sep), entry.name]);
      if (entry.isDirectory()) walk(full, path.join(shown, name));
      else if (entry.isFile()) out.push({ given: path.join(shown, name), path: full });
    }
  };
  for (const given of paths) {
    let stat: fs.Stats | null = null;
    try { stat = fs.statSync(given); } catch { /* reported below */ }
    if (stat?.isDirectory()) walk(Buffer.from(given), given);
    else out.push({ given, path: given });
  }
  return out;
}

const WAIT_FOR_ENGINE_MS = 10 * 60_000;

/**
 * Runs a claimed job to its end. A job that goes back to the queue for a passing failure (the search
 * engine away, restarting) is run again after a growing pause, for up to ten minutes; if a server's
 * worker takes it meanwhile, this waits for that worker to finish it.
 */
async function runToEnd(archive: Archive, claimed: JobRecord, onProgress: (job: JobRecord) => void): Promise<JobRecord> {
  let job = await runJob(claimed, archive, onProgress);
  const deadline = Date.now() + WAIT_FOR_ENGINE_MS;
  for (let pause = 1000; job.status === 'queued' || job.status === 'running'; pause = Math.min(pause * 2, 30_000)) {
    if (Date.now() > deadline) break;
    await new Promise((resolve) => setTimeout(resolve, job.status === 'running' ? 500 : pause));
    const again = archive.catalogue.jobs.claim(job.id, processOwner());
    job = again ? await runJob(again, archive, onProgress) : archive.catalogue.jobs.get(job.id)!;
  }
  return job;
}

/** The report of a job that did not finish: its reason, and where it stands. */
function unfinished(job: JobRecord): string {
  const reason = job.error ?? 'failed';
  return job.status === 'failed' ? reason : `${reason}; the job stays queued and a running server will finish it`;
}

async function ingestOne(archive: Archive, file: InputFile, opts: {
  collection?: string; title?: string; lang: string; publish: boolean;
}, onProgress: (job: JobRecord) => void): Promise<FileReport> {
  let bytes: Buffer;
  try {
    // The size first: a file over the limit is refused without being read into memory.
    const size = fs.statSync(file.path).size;
    const limit = archive.config.limits.maxFileBytes;
    if (size > limit) {
      const error = tooLargeMessage(size, limit);
      recordRejection(archive.catalogue, 'cli', file.given, 'file-too-large', error, size);
      return { file: file.given, status: 'failed', error };
    }
    bytes = fs.readFileSync(file.path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return { file: file.given, status: 'failed', error: code === 'ENOENT' ? 'no such file' : `cannot read the file (${code})` };
  }
  const outcome = submitFile(bytes, file.given, {
    collection: opts.collection, title: opts.title, lang: opts.lang, publish: opts.publish, actor: 'cli', owner: processOwner(),
  }, archive);
  if (outcome.status === 'rejected') return { file: file.given, status: 'failed', error: outcome.error };
  if (outcome.status === 'duplicate') {
    // An import of this file that was interrupted (its process died) is finished here rather than
    // reported as done: the job was put back in the queue when this command started.
    const pending = archive.catalogue.jobs.latestForDocument(outcome.documentId);
    const resumed = pending?.status === 'queued' ? archive.catalogue.jobs.claim(pending.id, processOwner()) : null;
    if (resumed) {
      const job = await runToEnd(archive, resumed, onProgress);
      const done = archive.catalogue.documents.get(outcome.documentId);
      if (job.status !== 'done') return { file: file.given, status: 'failed', documentId: outcome.documentId, error: unfinished(job) };
      return { file: file.given, status: 'imported', documentId: outcome.documentId, pages: done?.pageCount ?? 0 };
    }
    const doc = archive.catalogue.documents.get(outcome.documentId);
    return { file: file.given, status: 'duplicate', documentId: outcome.documentId, pages: doc?.pageCount ?? 0 };
  }
  const job = await runToEnd(archive, outcome.job, onProgress);
  const doc = archive.catalogue.documents.get(outcome.documentId);
  if (job.status !== 'done') return { file: file.given, status: 'failed', documentId: outcome.documentId, error: unfinished(job) };
  return { file: file.given, status: 'imported', documentId: outcome.documentId, pages: doc?.pageCount ?? 0 };
}

async function main(): Promise<number> {
  let args;
  try {
    args = parseArgs({
      allowPositionals: true,
      options: {
        collection: { type: 'string' }, title: { type: 'string' }, lang: { type: 'string', default: 'auto' },
        publish: { type: 'boolean', default: false }, json: { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h' },
      },
    });
    parseLanguageChoice(args.values.lang ?? 'auto');
  } catch (error) {
    console.error(`${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  if (args.values.help || args.positionals.length === 0) {
    console.error(USAGE);
    return args.values.help ? 0 : 2;
  }
  const json = args.values.json ?? false;
  const stdoutWrite = process.stdout.write.bind(process.stdout);
  // Standard output carries only the JSON lines: anything else a library prints goes to stderr.
  if (json) console.log = console.info = (...parts: unknown[]) => { console.error(...parts); };

  const files = expandPaths(args.positionals);
  if (args.values.title && files.length !== 1) {
    console.error('--title applies to a single file');
    return 2;
  }
  const archive = await openArchive(loadConfig());
  const progress = createProgressDisplay(process.stderr, files.length);
  let failed = 0;
  try {
    await prepareSearchIndex(archive);
    archive.catalogue.jobs.requeueOrphans(ownerIsAlive);
    for (const [i, file] of files.entries()) {
      progress.start(i, file.given);
      const report = await ingestOne(archive, file, {
        collection: args.values.collection, title: args.values.title, lang: args.values.lang ?? 'auto', publish: args.values.publish ?? false,
      }, (job) => progress.update(job));
      if (report.status === 'failed') failed++;
      const waiting = report.documentId ? archive.catalogue.pages.countNeedingOcr(report.documentId) : 0;
      progress.finish(report, waiting);
      if (json) stdoutWrite(JSON.stringify(report) + '\n');
    }
  } finally {
    progress.close();
    await archive.close();
  }
  return failed > 0 ? 1 : 0;
}

main().then((code) => { process.exitCode = code; }, (error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
