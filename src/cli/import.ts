import path from 'node:path';
import { loadConfig } from '../config.ts';
import { openArchive } from '../archive.ts';
import { importArchive, ImportError } from '../preservation/archive-import.ts';

const USAGE = 'usage: npm run import -- DIR   (a bag written by npm run export; DATA_DIR must be an empty archive)';

/**
 * `npm run import -- DIR`: validates the bag in DIR and restores it into the (empty) archive of DATA_DIR,
 * then rebuilds the search indexes and page images. Every problem of an invalid bag is listed.
 */
async function main(): Promise<number> {
  const dir = process.argv[2];
  if (!dir || process.argv.length > 3 || dir.startsWith('-')) {
    console.error(USAGE);
    return 2;
  }
  const archive = await openArchive(loadConfig());
  try {
    const started = Date.now();
    const summary = await importArchive(archive, path.resolve(dir), (stage) => {
      if (process.stderr.isTTY) console.error(`${stage}…`);
    });
    console.log(`imported ${summary.documents} documents, ${summary.pages} pages, ${summary.stories} stories; ` +
      `${summary.images.drawn} page images drawn${summary.queued ? `, ${summary.queued} documents queued to finish processing` : ''}, ` +
      `in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    for (const f of summary.images.failed) console.error(`page image ${f.documentId}/${f.pageNumber} not drawn: ${f.error}`);
    return 0;
  } catch (error) {
    if (!(error instanceof ImportError)) throw error;
    console.error(error.message);
    for (const problem of error.problems) console.error(`  ${problem}`);
    return 1;
  } finally {
    await archive.close();
  }
}

main().then((code) => { process.exitCode = code; }, (error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
