import type { JobRecord } from '../src/catalogue/types.ts';

/** A one-line progress bar on a terminal; plain lines (one per file) when the output is not a terminal. */
export function createProgressDisplay(stream: NodeJS.WriteStream, files: number) {
  const tty = stream.isTTY === true;
  let current = '';
  let index = 0;
  const draw = (text: string) => {
    if (!tty) return;
    const width = Math.max(20, (stream.columns ?? 80) - 1);
    stream.write(`\r\x1b[K${text.slice(0, width)}`);
  };
  const bar = (done: number, total: number) => {
    const n = 20;
    const filled = total > 0 ? Math.round((done / total) * n) : 0;
    return `[${'#'.repeat(filled)}${'.'.repeat(n - filled)}]`;
  };
  return {
    start(i: number, file: string) {
      index = i;
      current = file;
      draw(`(${i + 1}/${files}) ${file}`);
    },
    update(job: JobRecord) {
      draw(`(${index + 1}/${files}) ${bar(job.pagesDone, job.pagesTotal)} ${job.pagesDone}/${job.pagesTotal} ${job.stage} ${current}`);
    },
    finish(report: { status: string; pages?: number; error?: string; documentId?: string }, pagesWaitingForOcr: number) {
      const ocr = pagesWaitingForOcr > 0 ? `, ${pagesWaitingForOcr} pages need OCR (no text yet)` : '';
      const line = report.status === 'failed'
        ? `failed     ${current}: ${report.error ?? ''}`
        : `${report.status.padEnd(10)} ${current} → ${report.documentId} (${report.pages ?? 0} pages${ocr})`;
      if (tty) stream.write(`\r\x1b[K${line}\n`);
      else stream.write(line + '\n');
    },
    close() {
      if (tty) stream.write('\r\x1b[K');
    },
  };
}
