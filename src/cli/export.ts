import path from 'node:path';
import { loadConfig } from '../config.ts';
import { createCatalogue } from '../catalogue/index.ts';
import { createOriginalStore } from '../storage/originals.ts';
import { exportArchive } from '../preservation/archive-export.ts';

const USAGE = 'usage: npm run export -- DIR   (DIR must not exist yet)';

/**
 * `npm run export -- DIR`: the whole archive as a BagIt bag in DIR — originals, page texts with their
 * corrections, metadata as JSON, stories, the audit log. Needs no search engine; the server may run.
 */
async function main(): Promise<number> {
  const dir = process.argv[2];
  if (!dir || process.argv.length > 3 || dir.startsWith('-')) {
    console.error(USAGE);
    return 2;
  }
  const config = loadConfig();
  const catalogue = createCatalogue(config.dataDir);
  try {
    const started = Date.now();
    const summary = await exportArchive({ catalogue, originals: createOriginalStore(config.dataDir) }, path.resolve(dir));
    console.log(`${path.resolve(dir)}: ${summary.documents} documents, ${summary.pages} pages, ${summary.stories} stories; ` +
      `${summary.files} files, ${(summary.bytes / 1048576).toFixed(1)} MB, in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    catalogue.audit.record('system', 'export', path.resolve(dir), `${summary.documents} documents, ${summary.files} files`);
    return 0;
  } finally {
    catalogue.close();
  }
}

main().then((code) => { process.exitCode = code; }, (error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
