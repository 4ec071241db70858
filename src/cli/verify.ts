import { loadConfig } from '../config.ts';
import { createCatalogue } from '../catalogue/index.ts';
import { createOriginalStore } from '../storage/originals.ts';
import { verifyOriginals } from '../preservation/fixity.ts';

/**
 * `npm run verify`: the fixity check. Recomputes the SHA-256 of every original (documents, failed and
 * hidden ones included, and uploaded story covers) and reports each damaged or missing file, one per
 * line; exit status 1 when there is any. The result is recorded in the audit log. Needs no search engine.
 */
async function main(): Promise<number> {
  const config = loadConfig();
  const catalogue = createCatalogue(config.dataDir);
  try {
    const started = Date.now();
    const report = await verifyOriginals(catalogue, createOriginalStore(config.dataDir), (done, total) => {
      if (process.stderr.isTTY) process.stderr.write(`\r\x1b[Kverify ${done}/${total}`);
    });
    if (process.stderr.isTTY) process.stderr.write('\r\x1b[K');
    for (const p of report.problems) {
      if (p.kind === 'missing') console.log(`missing   ${p.original.owner}  sha256 ${p.original.sha256}  ${p.path}`);
      else console.log(`mismatch  ${p.original.owner}  sha256 ${p.original.sha256}, file now ${p.actual}  ${p.path}`);
    }
    const missing = report.problems.filter((p) => p.kind === 'missing').length;
    const mismatched = report.problems.length - missing;
    const summary = `${report.checked + missing} originals, ${(report.bytes / 1048576).toFixed(1)} MB read in ${((Date.now() - started) / 1000).toFixed(1)} s: ` +
      `${mismatched} damaged, ${missing} missing`;
    console.log(summary);
    catalogue.audit.record('system', 'fixity-check', '', summary);
    return report.problems.length === 0 ? 0 : 1;
  } finally {
    catalogue.close();
  }
}

main().then((code) => { process.exitCode = code; }, (error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 2;
});
