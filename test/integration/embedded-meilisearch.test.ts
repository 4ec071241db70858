import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { isHealthy, isProcessAlive, startEmbeddedMeilisearch } from '../../src/search/embedded-meilisearch.ts';
import { REPO_ROOT } from '../support/harness.ts';

const waitFor = async (check: () => boolean | Promise<boolean>, ms: number) => {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
};

test('embedded Meilisearch starts, is reused by a second caller on the same data dir, and stops', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wenshi-embed-'));
  try {
    const first = await startEmbeddedMeilisearch(dir);
    assert.equal(first.owned, true);
    assert.ok(await isHealthy(first.url));
    const keyFile = path.join(dir, 'meili-master-key');
    assert.equal(fs.statSync(keyFile).mode & 0o777, 0o600, 'master key readable by the owner only');

    const second = await startEmbeddedMeilisearch(dir);
    assert.equal(second.owned, false, 'a second process on the same data dir reuses the running server');
    assert.equal(second.url, first.url);

    await first.stop();
    assert.equal(first.pid !== null && isProcessAlive(first.pid), false, 'server process gone after stop');
    assert.equal(await isHealthy(first.url), false);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('no Meilisearch is left behind when the owning process is killed with SIGKILL', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wenshi-embed-kill-'));
  const script = path.join(dir, 'owner.mts');
  fs.writeFileSync(script, `
    import { startEmbeddedMeilisearch } from ${JSON.stringify(path.join(REPO_ROOT, 'src/search/embedded-meilisearch.ts'))};
    const ep = await startEmbeddedMeilisearch(${JSON.stringify(dir)});
    console.log(JSON.stringify({ pid: ep.pid, url: ep.url }));
    setInterval(() => {}, 1000);
  `);
  const child = spawn(process.execPath, ['--import', 'tsx', script], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    const line = await new Promise<string>((resolve, reject) => {
      let buf = '';
      child.stdout.on('data', (d: Buffer) => { buf += d.toString(); if (buf.includes('\n')) resolve(buf.trim()); });
      child.on('exit', () => reject(new Error('owner exited early')));
    });
    const { pid, url } = JSON.parse(line) as { pid: number; url: string };
    assert.ok(isProcessAlive(pid));
    child.kill('SIGKILL');
    assert.ok(await waitFor(() => !isProcessAlive(pid), 5000), 'Meilisearch ended within 5 s of its owner being killed');
    assert.equal(await isHealthy(url), false);
  } finally {
    child.kill('SIGKILL');
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
