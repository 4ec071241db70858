import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import { REPO_ROOT } from './harness.ts';

/** A free TCP port on the loopback interface. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export interface ServerProcess {
  url: string;
  port: number;
  child: ChildProcess;
  /** Everything the server wrote to stderr so far. */
  stderr(): string;
  /** Resolves with the exit code (null after a signal) once the process has ended. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  alive(): boolean;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves when the process is gone. */
  stop(graceMs?: number): Promise<void>;
}

/**
 * `npm start` as a real process (`node --import tsx src/main.ts`) on a free port, resolved once
 * `/healthz` answers 200 (or at once with `waitHealthy: false`). Tests use it where the process itself matters: signals, kill -9, staying up.
 */
export async function startServer(
  env: NodeJS.ProcessEnv,
  opts: { port?: number; healthyWithinMs?: number; waitHealthy?: boolean } = {},
): Promise<ServerProcess> {
  const port = opts.port ?? (await freePort());
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: REPO_ROOT, env: { ...env, PORT: String(port) }, stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => { stderr += d.toString(); });
  let running = true;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.on('exit', (code, signal) => { running = false; resolve({ code, signal }); });
  });
  const url = `http://127.0.0.1:${port}`;
  const server: ServerProcess = {
    url, port, child, exited,
    stderr: () => stderr,
    alive: () => running,
    async stop(graceMs = 10_000) {
      if (!running) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
  if (opts.waitHealthy === false) return server;
  const deadline = Date.now() + (opts.healthyWithinMs ?? 60_000);
  while (Date.now() < deadline) {
    if (!running) throw new Error(`the server exited during start-up: ${stderr}`);
    try {
      const res = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(2000) });
      if (res.status === 200) return server;
    } catch { /* not listening yet */ }
    await sleep(100);
  }
  await server.stop(1000);
  throw new Error(`the server did not become healthy: ${stderr}`);
}
