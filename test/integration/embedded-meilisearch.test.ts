import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { isHealthy, isProcessAlive, startEmbeddedMeilisearch, type SupervisorEvent } from '../../src/search/embedded-meilisearch.ts';
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

test('a Meilisearch stopped on request (Ctrl-C to the terminal) is not restarted; one killed on its own is', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wenshi-embed-stop-'));
  const events: SupervisorEvent[] = [];
  const endpoint = await startEmbeddedMeilisearch(dir, { onEvent: (e) => events.push(e) });
  try {
    // A failure first: restarted on the same URL.
    process.kill(endpoint.pid ?? 0, 'SIGKILL');
    assert.ok(await waitFor(() => events.some((e) => e.kind === 'restarted'), 15_000), JSON.stringify(events));
    assert.equal(events[0]?.kind, 'died');
    assert.ok(await waitFor(() => isHealthy(endpoint.url), 5000));
    // Then a shutdown asked for, as Ctrl-C sends it to the terminal's process group: SIGINT to the
    // watchdog (the server's parent) stops the server, and it stays down.
    const restartedPid = endpoint.pid ?? 0;
    assert.ok(restartedPid > 0);
    const watchdog = Number(fs.readFileSync(`/proc/${restartedPid}/stat`, 'utf8').split(') ')[1]!.split(' ')[1]);
    process.kill(watchdog, 'SIGINT');
    assert.ok(await waitFor(() => events.some((e) => e.kind === 'stopped'), 10_000), JSON.stringify(events));
    await new Promise((r) => setTimeout(r, 1500)); // past the first restart delay
    assert.deepEqual(events.map((e) => e.kind), ['died', 'restarted', 'stopped']);
    assert.equal(isProcessAlive(restartedPid), false);
    assert.equal(await isHealthy(endpoint.url), false);
  } finally {
    await endpoint.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
