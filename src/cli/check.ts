import { parseArgs } from 'node:util';
import { loadConfig } from '../config.ts';
import { openArchive } from '../archive.ts';
import { checkIndex, type CheckReport } from '../consistency/index-check.ts';
import { repairIndex } from '../consistency/index-repair.ts';

const USAGE = 'usage: npm run check [-- --repair]';

function print(report: CheckReport): void {
  for (const d of report.differences) console.log(`${d.kind.padEnd(14)} ${d.id}  ${d.detail}`);
  const notes = [
    report.inProgress > 0 ? `${report.inProgress} pages of documents still being processed` : '',
    report.runningBuilds.length > 0 ? `rebuild running: ${report.runningBuilds.join(', ')}` : '',
  ].filter(Boolean);
  console.log(`catalogue: ${report.expected} pages to index; index: ${report.indexed} page records; ` +
    `${report.differences.length} difference${report.differences.length === 1 ? '' : 's'}${notes.length ? ` (${notes.join('; ')})` : ''}`);
}

/**
 * `npm run check`: compares the search index with the catalogue and lists every difference, one per
 * line (exit status 1 when there is any). `--repair` then fixes them from the catalogue and checks again.
 */
async function main(): Promise<number> {
  let repair = false;
  try {
    repair = parseArgs({ options: { repair: { type: 'boolean', default: false } } }).values.repair ?? false;
  } catch (error) {
    console.error(`${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  const archive = await openArchive(loadConfig());
  try {
    const prefix = archive.config.meiliIndexPrefix;
    let report = await checkIndex(archive.catalogue, archive.engine, prefix);
    print(report);
    if (repair && report.differences.length > 0) {
      const done = await repairIndex(archive.catalogue, archive.engine, report);
      console.log(`repaired: ${done.reindexed} pages indexed again, ${done.removed} records removed, ${done.droppedIndexes} leftover indexes dropped`);
      report = await checkIndex(archive.catalogue, archive.engine, prefix);
      print(report);
    }
    return report.differences.length === 0 ? 0 : 1;
  } finally {
    await archive.close();
  }
}

main().then((code) => { process.exitCode = code; }, (error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 2;
});
