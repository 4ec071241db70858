import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readOrCreateSecret } from '../../src/storage/secret-file.ts';

const moduleUrl = new URL('../../src/storage/secret-file.ts', import.meta.url).href;

function racer(file: string): Promise<string> {
  const script = `import { readOrCreateSecret } from ${JSON.stringify(moduleUrl)};
    import { randomBytes } from 'node:crypto';
    process.stdout.write(readOrCreateSecret(${JSON.stringify(file)}, () => randomBytes(32).toString('hex')));`;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => { out += chunk.toString(); });
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`racer exited ${code}`))));
  });
}

test('a secret is created once, owner-readable, and kept', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wenshi-secret-'));
  try {
    const file = path.join(dir, 'nested', 'key');
    const first = readOrCreateSecret(file, () => 'a1b2');
    assert.equal(first, 'a1b2');
    assert.equal(fs.statSync(file).mode & 0o777, 0o600);
    assert.equal(readOrCreateSecret(file, () => 'other'), 'a1b2', 'an existing secret is never replaced');
    assert.deepEqual(fs.readdirSync(path.dirname(file)), ['key'], 'no temporary file is left');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('processes starting together on a fresh directory all get the same, whole secret', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wenshi-secret-race-'));
  try {
    for (let round = 0; round < 3; round++) {
      const file = path.join(dir, `key-${round}`);
      const secrets = await Promise.all(Array.from({ length: 6 }, () => racer(file)));
      for (const s of secrets) assert.match(s, /^[0-9a-f]{64}$/, 'never empty or half written');
      assert.equal(new Set(secrets).size, 1, 'one winner; the others use its secret');
      assert.equal(fs.readFileSync(file, 'utf8').trim(), secrets[0]);
    }
    assert.deepEqual(fs.readdirSync(dir).sort(), ['key-0', 'key-1', 'key-2']);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
