import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { isProcessAlive } from '../../src/search/embedded-meilisearch.ts';
import { REPO_ROOT } from '../support/harness.ts';

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  test(`npm start serves /healthz with an embedded Meilisearch and leaves none behind after ${signal}`, async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wenshi-start-'));
    const port = await freePort();
    const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir, PORT: String(port), DEMO: '0' };
    delete env.MEILI_URL;
    const server = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], { cwd: REPO_ROOT, env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    server.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    try {
      let healthy = false;
      for (let i = 0; i < 300 && !healthy; i++) {
        try {
          const res = await fetch(`http://127.0.0.1:${port}/healthz`);
          healthy = res.status === 200 && ((await res.json()) as { status: string }).status === 'ok';
        } catch { /* not up yet */ }
        if (!healthy) await new Promise((r) => setTimeout(r, 100));
      }
      assert.ok(healthy, `server became healthy; stderr: ${stderr}`);
      const instance = JSON.parse(fs.readFileSync(path.join(dataDir, 'meili', 'instance.json'), 'utf8')) as { pid: number };
      assert.ok(isProcessAlive(instance.pid));
      const exited = new Promise<number | null>((resolve) => server.on('exit', (code) => resolve(code)));
      server.kill(signal);
      const code = await exited;
      assert.equal(code, 0);
      assert.equal(isProcessAlive(instance.pid), false, 'the embedded Meilisearch stopped with the server');
    } finally {
      server.kill('SIGKILL');
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
}
