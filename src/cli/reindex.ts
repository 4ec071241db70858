import { loadConfig } from '../config.ts';
import { openArchive } from '../archive.ts';
import { rebuildPagesIndex } from '../search/reindex.ts';

/** `npm run reindex`: a fresh index built beside the live one and swapped in; readers never see it half-built. */
async function main(): Promise<void> {
  const archive = await openArchive(loadConfig());
  try {
    const started = Date.now();
    const result = await rebuildPagesIndex(archive.catalogue, archive.engine, (done, total) => {
      if (process.stderr.isTTY) process.stderr.write(`\r\x1b[Kreindex ${done}/${total} pages`);
    });
    if (process.stderr.isTTY) process.stderr.write('\r\x1b[K');
    console.log(`reindexed ${result.pages} pages in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  } finally {
    await archive.close();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
