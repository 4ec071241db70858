import { loadConfig } from '../config.ts';
import { openArchive } from '../archive.ts';
import { rebuildPagesIndex } from '../search/reindex.ts';
import { rebuildStoriesIndex } from '../stories/story-actions.ts';

/**
 * `npm run reindex`: both search indexes (pages, then stories) built afresh beside the live ones and
 * swapped in; readers never see one half-built.
 */
async function main(): Promise<void> {
  const archive = await openArchive(loadConfig());
  try {
    const started = Date.now();
    const result = await rebuildPagesIndex(archive.catalogue, archive.engine, (done, total) => {
      if (process.stderr.isTTY) process.stderr.write(`\r\x1b[Kreindex ${done}/${total} pages`);
    });
    if (process.stderr.isTTY) process.stderr.write('\r\x1b[K');
    const stories = await rebuildStoriesIndex({ catalogue: archive.catalogue, engine: archive.engine });
    console.log(`reindexed ${result.pages} pages and ${stories} stories in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  } finally {
    await archive.close();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
