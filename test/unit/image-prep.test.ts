import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { crc32, deflateSync } from 'node:zlib';
import sharp from 'sharp';
import { ImageInputError, imagePageCount, inkRegion, makeWebImage, otsuThreshold, prepareForOcr } from '../../ingest/image-prep.ts';

const SCANS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures/scans');
const scan = (name: string) => readFile(path.join(SCANS, name));

/** A histogram with Gaussian-ish bumps: [level, count, spread]. */
function histogramOf(...bumps: [number, number, number][]): number[] {
  const h = new Array<number>(256).fill(0);
  for (const [centre, count, spread] of bumps) {
    for (let v = 0; v < 256; v++) h[v] = (h[v] ?? 0) + Math.round(count * Math.exp(-((v - centre) ** 2) / (2 * spread ** 2)));
  }
  return h;
}

/** PNG whose IHDR declares the given size, with a few bytes of pixel data: only its header is valid. */
function pngHeaderOnly(width: number, height: number): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const out = Buffer.alloc(8 + data.length + 4);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc32(body), 8 + data.length);
    return out;
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 0, 0, 0, 0], 8); // 8-bit greyscale, no interlace
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(Buffer.alloc(64))), chunk('IEND', Buffer.alloc(0))]);
}

/** Share of dark pixels in a region of a greyscale image. */
async function inkShare(page: { pixels: Buffer; width: number; height: number }, region: { left: number; top: number; width: number; height: number }): Promise<number> {
  const pixels = await sharp(page.pixels, { raw: { width: page.width, height: page.height, channels: 1 } }).extract(region).extractChannel(0).raw().toBuffer();
  let dark = 0;
  for (const v of pixels) if (v < 128) dark++;
  return dark / pixels.length;
}

describe('otsuThreshold', () => {
  it('separates two equal peaks in the middle of the gap', () => {
    const t = otsuThreshold(histogramOf([60, 1000, 8], [200, 1000, 8]));
    assert.ok(t > 100 && t < 160, `threshold ${t}`);
  });

  it('separates a small ink peak from a large paper peak', () => {
    const t = otsuThreshold(histogramOf([40, 100, 10], [225, 5000, 6]));
    assert.ok(t > 70 && t < 210, `threshold ${t}`);
  });

  it('puts the threshold in the middle of an empty gap between two single levels', () => {
    const h = new Array<number>(256).fill(0);
    h[10] = 50;
    h[250] = 50;
    const t = otsuThreshold(h);
    assert.ok(t >= 10 && t < 250);
    assert.ok(Math.abs(t - 130) <= 1, `threshold ${t}`);
  });

  it('returns a middle level for an empty or single-level histogram', () => {
    assert.equal(otsuThreshold(new Array<number>(256).fill(0)), 127);
    const flat = new Array<number>(256).fill(0);
    flat[200] = 999;
    assert.equal(otsuThreshold(flat), 127);
  });
});

describe('prepareForOcr', () => {
  it('returns a bilevel page at the scan resolution (scale 1 for a 300 DPI scan), packed as a PBM for the engine', async () => {
    const prepared = await prepareForOcr(await scan('scan-faded.jpg'));
    assert.equal(prepared.scale, 1);
    assert.deepEqual([prepared.originalWidth, prepared.originalHeight], [1748, 720]);
    assert.equal(prepared.pixels.length, prepared.width * prepared.height);
    assert.deepEqual([...new Set(prepared.pixels)].sort((a, b) => a - b), [0, 255]);
    // The engine gets the ink and a margin, not the blank paper around it.
    const { region } = prepared;
    assert.ok(region.w * region.h < prepared.width * prepared.height, `region ${JSON.stringify(region)}`);
    assert.ok(region.x + region.w <= prepared.width && region.y + region.h <= prepared.height);
    const header = `P4\n${region.w} ${region.h}\n`;
    assert.equal(prepared.pbm.subarray(0, header.length).toString('ascii'), header);
    assert.equal(prepared.pbm.length, header.length + Math.ceil(region.w / 8) * region.h);
    // Ink is a set bit: the packed region holds as many as the page has ink pixels, so none was cut off.
    let bits = 0;
    for (const byte of prepared.pbm.subarray(header.length)) for (let b = byte; b; b &= b - 1) bits++;
    assert.equal(bits, prepared.pixels.filter((v) => v === 0).length);
  });

  it('inkRegion: the ink with a margin, clamped to the page; null for a blank page', () => {
    const page = (width: number, height: number, ink: Array<[number, number]>) => {
      const pixels = Buffer.alloc(width * height, 255);
      for (const [x, y] of ink) pixels[y * width + x] = 0;
      return pixels;
    };
    assert.deepEqual(inkRegion(page(100, 80, [[30, 20], [60, 50], [45, 35]]), 100, 80, 5), { x: 25, y: 15, w: 41, h: 41 });
    assert.deepEqual(inkRegion(page(100, 80, [[2, 1], [99, 79]]), 100, 80, 5), { x: 0, y: 0, w: 100, h: 80 });
    // Rows of paper between the ink are skipped, not taken for its end.
    assert.deepEqual(inkRegion(page(10, 1000, [[5, 3], [4, 990]]), 10, 1000, 0), { x: 4, y: 3, w: 2, h: 988 });
    assert.equal(inkRegion(page(50, 50, []), 50, 50, 5), null);
  });

  it('upscales a small scan without a DPI tag and reports the scale', async () => {
    const small = await sharp(await scan('scan-simplified.jpg')).resize(700).jpeg().toBuffer();
    const prepared = await prepareForOcr(small);
    assert.ok(prepared.scale > 2, `scale ${prepared.scale}`);
    assert.equal(prepared.width, Math.round(700 * prepared.scale));
    assert.equal(prepared.originalWidth, 700);
  });

  it('turns an EXIF-rotated JPEG upright', async () => {
    const image = await scan('scan-exif-rotated.jpg');
    const stored = await sharp(image).metadata();
    assert.equal(stored.orientation, 6);
    assert.ok(stored.height > stored.width, 'stored on its side');
    const prepared = await prepareForOcr(image);
    assert.deepEqual([prepared.width, prepared.height], [stored.height, stored.width]);
    // Upright, the first line (top) runs to the right margin and the last line (bottom) ends
    // early; turned the wrong way round, the short line would be at the top.
    const rightEnd = { left: 1400, width: 190, height: 60 };
    assert.ok(await inkShare(prepared, { ...rightEnd, top: 170 }) > 0.05, 'first line reaches the right margin');
    assert.ok(await inkShare(prepared, { ...rightEnd, top: prepared.height - 240 }) < 0.01, 'last line ends early');
  });

  it('reads each page of a multi-page TIFF and rejects a page that does not exist', async () => {
    const tiff = await scan('scan-multipage.tif');
    assert.equal(await imagePageCount(tiff), 2);
    const second = await prepareForOcr(tiff, { page: 1 });
    assert.equal(second.height, 900);
    await assert.rejects(prepareForOcr(tiff, { page: 2 }), (e: unknown) => e instanceof ImageInputError && e.problem === 'no-such-page');
  });

  it('rejects an image over the pixel limit from its header, before decoding', async () => {
    const huge = pngHeaderOnly(30000, 30000);
    const started = Date.now();
    await assert.rejects(prepareForOcr(huge), (e: unknown) => e instanceof ImageInputError && e.problem === 'too-many-pixels');
    await assert.rejects(makeWebImage(huge), ImageInputError);
    assert.ok(Date.now() - started < 1000);
    await assert.rejects(prepareForOcr(await scan('scan-faded.jpg'), { maxPixels: 1_000_000 }), (e: unknown) => e instanceof ImageInputError && e.problem === 'too-many-pixels');
  });

  it('rejects bytes that are not an image', async () => {
    await assert.rejects(prepareForOcr(Buffer.from('%PDF-1.7 not an image at all')), (e: unknown) => e instanceof ImageInputError && e.problem === 'undecodable');
  });
});

describe('makeWebImage', () => {
  it('makes an upright webp page image and a small thumbnail', async () => {
    const web = await makeWebImage(await scan('scan-exif-rotated.jpg'));
    const page = await sharp(web.webp).metadata();
    const thumb = await sharp(web.thumb).metadata();
    assert.equal(page.format, 'webp');
    assert.deepEqual([page.width, page.height, web.width, web.height], [1748, 644, 1748, 644]);
    assert.equal(thumb.width, 300);
    assert.ok(thumb.height < thumb.width);
  });

  it('scales a large page down to 2000 px on the long side', async () => {
    const big = await sharp({ create: { width: 3000, height: 4200, channels: 3, background: '#eee' } }).jpeg().toBuffer();
    const web = await makeWebImage(big);
    assert.deepEqual([web.width, web.height], [1429, 2000]);
  });
});
