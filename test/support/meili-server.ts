import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startEmbeddedMeilisearch } from '../../src/search/embedded-meilisearch.ts';

/**
 * One real Meilisearch for a whole test run, on a free port with a temp data dir. test/run.sh starts
 * it, reads the endpoint from the file named in argv[2], and stops it with SIGTERM when the tests end.
 */
const out = process.argv[2];
if (!out) throw new Error('usage: meili-server.ts ENDPOINT_FILE');
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wenshi-test-meili-'));
const endpoint = await startEmbeddedMeilisearch(dataDir);
fs.writeFileSync(out, JSON.stringify({ url: endpoint.url, apiKey: endpoint.apiKey, pid: endpoint.pid }));
const stop = async () => {
  await endpoint.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
  process.exit(0);
};
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());
setInterval(() => {}, 60_000);
