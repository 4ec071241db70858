/**
 * Real tesseract.js on small scan fixtures (fixtures/scans, made by fixtures/build/make-scans.ts).
 * The error-rate ceiling is about four times what was measured (0.017, 0.018, 0.008), leaving room
 * for decoder differences between sharp/libvips builds without letting a real regression through.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { PAGE_BREAK } from '../../fixtures/build/make-scans.ts';
import { createOcrEngine, OcrEngineError, type OcrEngine, type OcrPage } from '../../ingest/ocr.ts';
import { ocrCharacterErrorRate } from '../support/ocr-cer.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const SCANS = path.join(ROOT, 'fixtures/scans');
const CER_CEILING = 0.08;

async function fixture(name: string): Promise<{ image: Buffer; truth: string[] }> {
  const image = await readFile(path.join(SCANS, name));
  const truth = (await readFile(path.join(SCANS, name.replace(/\.\w+$/, '.gt.txt')), 'utf8')).split(PAGE_BREAK);
  return { image, truth };
}

function assertLayoutConsistent(page: OcrPage): void {
  const { chars, boxes, width, height } = page.layout;
  assert.equal(page.text, chars);
  assert.equal(boxes.length, chars.length * 4);
  for (let i = 0; i < chars.length; i++) {
    const [x = -1, y = -1, w = -1, h = -1] = boxes.slice(i * 4, i * 4 + 4);
    if (/\s/.test(chars[i] ?? '')) {
      assert.deepEqual([x, y, w, h], [0, 0, 0, 0], `whitespace at ${i} has no box`);
      continue;
    }
    assert.ok(Number.isInteger(x) && Number.isInteger(y) && Number.isInteger(w) && Number.isInteger(h));
    assert.ok(x >= 0 && y >= 0 && w > 0 && h > 0 && x + w <= width && y + h <= height, `box of ${chars[i]} at ${i}: ${[x, y, w, h]}`);
  }
}

describe('OCR engine (tesseract.js)', () => {
  let engine: OcrEngine;
  before(async () => { engine = await createOcrEngine(); });
  after(async () => { await engine.terminate(); });

  it('reads a simplified-Chinese scan under auto as chi_sim', async () => {
    const { image, truth } = await fixture('scan-simplified.jpg');
    const page = await engine.recognize(image, 'auto');
    const cer = ocrCharacterErrorRate(page.text, truth[0] ?? '');
    assert.equal(page.language, 'chi_sim');
    assert.ok(cer <= CER_CEILING, `CER ${cer.toFixed(3)}`);
    assert.ok(page.confidence > 0.5 && page.confidence <= 1);
    assertLayoutConsistent(page);
    assert.deepEqual([page.layout.width, page.layout.height], [1748, 796]);
    // The first character, 石, sits after a two-character indent (150 + 88 px) on the first line.
    const [x = 0, y = 0] = page.layout.boxes;
    assert.equal(page.text[0], '石');
    assert.ok(Math.abs(x - 238) < 15 && Math.abs(y - 180) < 25, `box of 石 at ${x},${y}`);
  });

  it('reads a traditional-Chinese scan under auto as chi_tra, in traditional characters', async () => {
    const { image, truth } = await fixture('scan-traditional-mines.jpg');
    const page = await engine.recognize(image, 'auto');
    const cer = ocrCharacterErrorRate(page.text, truth[0] ?? '');
    assert.equal(page.language, 'chi_tra');
    assert.ok(cer <= CER_CEILING, `CER ${cer.toFixed(3)}`);
    assert.match(page.text, /礦務局/);
    assertLayoutConsistent(page);
  });

  it('reads the second page of a multi-page TIFF with an explicit language', async () => {
    const { image, truth } = await fixture('scan-multipage.tif');
    const page = await engine.recognize(image, ['chi_sim'], { page: 1 });
    const cer = ocrCharacterErrorRate(page.text, truth[1] ?? '');
    assert.equal(page.language, 'chi_sim');
    assert.ok(cer <= CER_CEILING, `CER ${cer.toFixed(3)}`);
    assertLayoutConsistent(page);
  });

  it('fails fast with OcrEngineError when a model directory is missing', async () => {
    const broken = await createOcrEngine({ modelDirs: { chi_sim: path.join(tmpdir(), 'no-such-wenshi-models') }, startTimeoutMs: 5000 });
    const { image } = await fixture('scan-faded.jpg');
    const started = Date.now();
    await assert.rejects(broken.recognize(image, ['chi_sim']), (e: unknown) => e instanceof OcrEngineError && e.failure === 'model-missing');
    assert.ok(Date.now() - started < 2000);
    await broken.terminate();
    await assert.rejects(broken.recognize(image, ['chi_sim']), (e: unknown) => e instanceof OcrEngineError && e.failure === 'terminated');
  });

  it('fails fast with OcrEngineError when a model file is corrupt', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'wenshi-ocr-models-'));
    try {
      await writeFile(path.join(dir, 'chi_tra.traineddata.gz'), Buffer.from([0x1f, 0x8b, 8, 0, 1, 2, 3, 4, 5, 6, 7]));
      const broken = await createOcrEngine({ modelDirs: { chi_tra: dir } });
      const { image } = await fixture('scan-faded.jpg');
      await assert.rejects(broken.recognize(image, ['chi_tra']), (e: unknown) => e instanceof OcrEngineError && e.failure === 'model-missing');
      await broken.terminate();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('keeps the process stdout and stderr clean (the ingest CLI prints JSON lines on stdout)', async () => {
    // Dirt (4×4 blots that survive the median filter) makes Tesseract print "Detected N
    // diacritics" unless its debug output is redirected; without the redirect this test fails.
    const { data, info } = await sharp(path.join(SCANS, 'scan-simplified.jpg')).greyscale().raw().toBuffer({ resolveWithObject: true });
    let seed = 7;
    const random = () => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed / 2147483648; };
    for (let k = 0; k < 3000; k++) {
      const x = Math.floor(random() * (info.width - 4));
      const y = Math.floor(random() * (info.height - 4));
      for (let dy = 0; dy < 4; dy++) data.fill(0, (y + dy) * info.width + x, (y + dy) * info.width + x + 4);
    }
    const dir = await mkdtemp(path.join(tmpdir(), 'wenshi-ocr-stdout-'));
    try {
      const dirty = path.join(dir, 'dirty.png');
      await sharp(data, { raw: { width: info.width, height: info.height, channels: 1 } }).png().toFile(dirty);
      const script = path.join(dir, 'child.mts');
      await writeFile(script, [
        `import { readFile } from 'node:fs/promises';`,
        `import { createOcrEngine } from ${JSON.stringify(path.join(ROOT, 'ingest/ocr.ts'))};`,
        `const engine = await createOcrEngine();`,
        `const page = await engine.recognize(await readFile(${JSON.stringify(dirty)}), ['chi_sim']);`,
        `await engine.terminate();`,
        `if (page.text.length < 50) process.exitCode = 3;`,
      ].join('\n'));
      const child = spawn(process.execPath, ['--import', 'tsx', script], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
      child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
      const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
      assert.equal(code, 0, stderr);
      assert.equal(stdout, '');
      assert.equal(stderr, '');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
