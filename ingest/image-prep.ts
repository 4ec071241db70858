/**
 * Image preparation with sharp: page images for OCR (upright, grey, ~300 DPI, binarised) and for
 * the viewer (webp + thumbnail). Nothing here knows about OCR engines.
 */
import sharp, { type Metadata, type Sharp } from 'sharp';

/** A page image ready for OCR. */
export interface PreparedImage {
  /**
   * The page as a 1-bit PBM (P4), for the engine: it carries no resolution (the engine is told 300
   * DPI), is packed in a few milliseconds, read by Leptonica without decompression, and being bilevel
   * spares Tesseract its own thresholding — where an 8-bit PNG cost an encode and a decode per page.
   */
  pbm: Buffer;
  /** The same pixels, one byte each (0 ink, 255 paper), row by row: the whole prepared page. */
  pixels: Buffer;
  width: number;
  height: number;
  /**
   * The part of the prepared page in `pbm`: the ink and a margin around it (the whole page when it
   * is blank). Tesseract's layout analysis works over every pixel it is given; on the scan fixtures
   * the blank margins it was spared saved about 10 % of its time (813–993 against 919–1,152 ms of
   * CPU a page, three alternating runs, the same error rate). Boxes it returns are offset by `x`, `y`.
   */
  region: PixelRegion;
  /** Factor from the original (EXIF-rotated) pixels to prepared pixels, to map boxes back. */
  scale: number;
  /** Size of the original page after EXIF rotation: the coordinate space of the viewer image. */
  originalWidth: number;
  originalHeight: number;
}

export interface PageOptions {
  /** Refuse images with more pixels than this (checked from the header, before decoding). Default 100 million. */
  maxPixels?: number;
  /** Zero-based page of a multi-page TIFF. */
  page?: number;
}

export type ImageInputProblem = 'too-many-pixels' | 'undecodable' | 'no-such-page';

/** The image cannot be used: too large, not decodable, or the page does not exist. */
export class ImageInputError extends Error {
  override readonly name = 'ImageInputError';
  constructor(readonly problem: ImageInputProblem, message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

export const DEFAULT_MAX_PIXELS = 100_000_000;
const TARGET_DPI = 300;
/** A page shorter than this on its long side, without a trustworthy DPI tag, is a low-resolution scan or photo. */
const SMALL_LONG_SIDE = 1600;
const MAX_UPSCALE = 2.5;

/**
 * Otsu's threshold: the grey level t that best separates ink from paper (maximum between-class
 * variance). Pixels with value <= t are the dark class. Pure; histogram[i] = count of level i.
 */
export function otsuThreshold(histogram: number[]): number {
  let total = 0;
  let sumAll = 0;
  histogram.forEach((count, level) => { total += count; sumAll += level * count; });
  if (total === 0) return 127;
  let weightDark = 0;
  let sumDark = 0;
  let best = -1;
  let bestLevels: number[] = [];
  for (let t = 0; t < histogram.length; t++) {
    weightDark += histogram[t] ?? 0;
    if (weightDark === 0) continue;
    const weightLight = total - weightDark;
    if (weightLight === 0) break;
    sumDark += t * (histogram[t] ?? 0);
    const meanDark = sumDark / weightDark;
    const meanLight = (sumAll - sumDark) / weightLight;
    const between = weightDark * weightLight * (meanDark - meanLight) ** 2;
    // Compare with a relative tolerance: a flat plateau of equal variances (an empty gap between two
    // peaks) should give its middle, not its first level.
    if (between > best * (1 + 1e-12)) { best = between; bestLevels = [t]; }
    else if (Math.abs(between - best) <= best * 1e-12) bestLevels.push(t);
  }
  if (bestLevels.length === 0) return 127; // one grey level only: nothing to separate
  return bestLevels[Math.floor((bestLevels.length - 1) / 2)] ?? 127;
}

/** Number of pages (TIFF, GIF, WebP frames); 1 for single-page formats. */
export async function imagePageCount(image: Buffer): Promise<number> {
  const meta = await readHeader(image);
  return meta.pages ?? 1;
}

async function readHeader(image: Buffer): Promise<Metadata> {
  try {
    // Header only: no pixel limit here, so an oversized image is reported as such below.
    return await sharp(image, { limitInputPixels: false }).metadata();
  } catch (cause) {
    throw new ImageInputError('undecodable', 'the image could not be read', { cause });
  }
}

/**
 * Runs `work` on the page, upright (EXIF orientation applied), after checking from the header alone
 * that it exists and is within the pixel limit. Decoding failures become ImageInputError.
 */
async function onUprightPage<T>(image: Buffer, opts: PageOptions, work: (page: Sharp, meta: Metadata) => Promise<T>): Promise<T> {
  const maxPixels = opts.maxPixels ?? DEFAULT_MAX_PIXELS;
  const page = opts.page ?? 0;
  const meta = await readHeader(image);
  const pages = meta.pages ?? 1;
  if (!Number.isInteger(page) || page < 0 || page >= pages) {
    throw new ImageInputError('no-such-page', `page ${page} requested, the image has ${pages}`);
  }
  if (meta.width * meta.height > maxPixels) {
    throw new ImageInputError('too-many-pixels', `image is ${meta.width}×${meta.height}, over the limit of ${maxPixels} pixels`);
  }
  try {
    return await work(sharp(image, { limitInputPixels: maxPixels, page }).rotate(), meta);
  } catch (cause) {
    throw new ImageInputError('undecodable', 'the image could not be decoded', { cause });
  }
}

/** Scale that brings the page near 300 DPI: trust a plausible DPI tag, else judge by pixel size. */
function scaleToTarget(meta: Metadata, longSide: number): number {
  const dpi = meta.density;
  // 72 and 96 are what software writes when it does not know; scanners write 150–1200.
  if (dpi !== undefined && dpi >= 150 && dpi <= 1200) return Math.min(MAX_UPSCALE, TARGET_DPI / dpi);
  if (longSide < SMALL_LONG_SIDE) return Math.min(MAX_UPSCALE, SMALL_LONG_SIDE / longSide);
  return 1;
}

/**
 * Prepares a page for OCR: EXIF rotation, greyscale, ~300 DPI, denoising, background flattening,
 * contrast stretch, Otsu binarisation and dirt removal. Throws ImageInputError for unusable input.
 */
export async function prepareForOcr(image: Buffer, opts: PageOptions = {}): Promise<PreparedImage> {
  return onUprightPage(image, opts, async (page, meta) => {
    const upright = await page.greyscale().raw().toBuffer({ resolveWithObject: true });
    const originalWidth = upright.info.width;
    const originalHeight = upright.info.height;
    const scale = scaleToTarget(meta, Math.max(originalWidth, originalHeight));
    const width = Math.max(1, Math.round(originalWidth * scale));
    const height = Math.max(1, Math.round(originalHeight * scale));
    let grey = sharp(upright.data, { raw: { width: originalWidth, height: originalHeight, channels: 1 } });
    if (scale !== 1) grey = grey.resize(width, height, { kernel: scale > 1 ? 'cubic' : 'lanczos3' });
    // A slight blur evens out sensor noise and the ragged edges of photocopied strokes before
    // thresholding. Sigma 1.1 (at 300 DPI) gave the lowest error over the scan fixtures (sum of
    // error rates: 0.163 against 0.19 at 0.6–0.8, 0.24 at 1.5 and 0.25 for a 3×3 median, which is
    // also 15 times slower in libvips).
    const scaled = await grey.blur(1.1).extractChannel(0).raw().toBuffer();
    const pixels = removeSpeckles(binarise(await flattenBackground(scaled, width, height)), width, height);
    const region = inkRegion(pixels, width, height, INK_MARGIN) ?? { x: 0, y: 0, w: width, h: height };
    const pbm = toPbm(cropPixels(pixels, width, region), region.w, region.h);
    return { pbm, pixels, width, height, region, scale: width / originalWidth, originalWidth, originalHeight };
  });
}

/**
 * Divides out uneven lighting (a shaded or yellowed page) using an estimate of the bare paper, then
 * stretches contrast so faded ink becomes dark: after this one global threshold suits the page.
 */
async function flattenBackground(pixels: Buffer, width: number, height: number): Promise<Buffer> {
  // Paper estimate: the brightest pixel of each 32-px block (smaller than a character, so every
  // block shows some paper), smoothed, then interpolated per pixel. A blur alone would darken text areas.
  const block = 32;
  const bw = Math.ceil(width / block);
  const bh = Math.ceil(height / block);
  const blockMax = Buffer.alloc(bw * bh);
  // Plain indexed loops over typed arrays, block by block: this runs over every pixel of the page.
  for (let y = 0; y < height; y++) {
    const row = ((y / block) | 0) * bw;
    const start = y * width;
    for (let bx = 0; bx < bw; bx++) {
      let max = blockMax[row + bx]!;
      const end = start + Math.min(width, (bx + 1) * block);
      for (let i = start + bx * block; i < end; i++) if (pixels[i]! > max) max = pixels[i]!;
      blockMax[row + bx] = max;
    }
  }
  const grid = await sharp(blockMax, { raw: { width: bw, height: bh, channels: 1 } })
    .median(3) // one block of dark margin or a photo must not pull its neighbours down
    .extractChannel(0)
    .raw()
    .toBuffer();
  // Bilinear interpolation between block centres, done here: libvips upsampling took longer than the rest.
  const axis = (n: number, cells: number) => {
    const lo = new Int32Array(n), hi = new Int32Array(n), w = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      const f = Math.min(cells - 1, Math.max(0, (i + 0.5) / block - 0.5));
      lo[i] = Math.floor(f);
      hi[i] = Math.min(cells - 1, lo[i]! + 1);
      w[i] = f - lo[i]!;
    }
    return { lo, hi, w };
  };
  const ax = axis(width, bw);
  const ay = axis(height, bh);
  const out = Buffer.alloc(pixels.length);
  const histogram = new Uint32Array(256);
  const column = new Float32Array(bw); // the grid interpolated to this row, per block column
  const lo = ax.lo, hi = ax.hi, wx = ax.w;
  for (let y = 0; y < height; y++) {
    const r0 = ay.lo[y]! * bw, r1 = ay.hi[y]! * bw, wy = ay.w[y]!;
    for (let c = 0; c < bw; c++) column[c] = grid[r0 + c]! + (grid[r1 + c]! - grid[r0 + c]!) * wy;
    for (let x = 0, i = y * width; x < width; x++, i++) {
      const left = column[lo[x]!]!;
      let paper = left + (column[hi[x]!]! - left) * wx[x]!;
      if (paper < 1) paper = 1;
      // Math.round of a non-negative number, written out: the same value, without a call per pixel.
      let v = Math.floor((pixels[i]! * 255) / paper + 0.5);
      if (v > 255) v = 255;
      out[i] = v;
      histogram[v]!++;
    }
  }
  // Contrast stretch: map the darkest 0.5% to black, keep white; faded ink gains its contrast back.
  let seen = 0;
  let low = 0;
  while (low < 255 && (seen += histogram[low]!) < pixels.length * 0.005) low++;
  if (low >= 200) return out; // blank page: nothing to stretch
  const stretch = new Uint8Array(256);
  for (let v = 0; v < 256; v++) stretch[v] = Math.max(0, Math.round(((v - low) / (255 - low)) * 255));
  for (let i = 0; i < out.length; i++) out[i] = stretch[out[i]!]!;
  return out;
}

/** White kept around the ink of a page for the engine: about 3 mm at 300 DPI (Tesseract wants a border). */
const INK_MARGIN = 32;

/**
 * The smallest rectangle holding every ink pixel (0) of a bilevel page, widened by `margin` and
 * clamped to the page; null when the page has no ink.
 */
export function inkRegion(pixels: Buffer, width: number, height: number, margin: number): PixelRegion | null {
  let top = -1, bottom = -1, left = width, right = -1;
  for (let y = 0; y < height; y++) {
    const start = y * width;
    const first = pixels.indexOf(0, start); // memchr: most rows are paper, and are passed over quickly
    if (first === -1) break;
    if (first >= start + width) {
      y = Math.floor(first / width) - 1; // jump to the next row with ink
      continue;
    }
    if (top === -1) top = y;
    bottom = y;
    const last = pixels.lastIndexOf(0, start + width - 1);
    if (first - start < left) left = first - start;
    if (last - start > right) right = last - start;
  }
  if (top === -1) return null;
  const x = Math.max(0, left - margin);
  const y = Math.max(0, top - margin);
  return { x, y, w: Math.min(width, right + margin + 1) - x, h: Math.min(height, bottom + margin + 1) - y };
}

/** The pixels of `region` of a one-byte-per-pixel image of the given width. */
function cropPixels(pixels: Buffer, width: number, region: PixelRegion): Buffer {
  if (region.x === 0 && region.y === 0 && region.w === width && region.h * width === pixels.length) return pixels;
  const out = Buffer.alloc(region.w * region.h);
  for (let row = 0; row < region.h; row++) {
    const from = (region.y + row) * width + region.x;
    pixels.copy(out, row * region.w, from, from + region.w);
  }
  return out;
}

/** Packs a bilevel page (0 ink, 255 paper) as a binary PBM: one bit a pixel, 1 for ink, rows padded to bytes. */
export function toPbm(pixels: Buffer, width: number, height: number): Buffer {
  const header = Buffer.from(`P4\n${width} ${height}\n`, 'ascii');
  const rowBytes = (width + 7) >> 3;
  const out = Buffer.alloc(header.length + rowBytes * height);
  header.copy(out);
  for (let y = 0; y < height; y++) {
    const row = y * width;
    let o = header.length + y * rowBytes;
    for (let x = 0; x < width; x += 8, o++) {
      let byte = 0;
      const end = Math.min(8, width - x);
      for (let bit = 0; bit < end; bit++) if (pixels[row + x + bit] === 0) byte |= 0x80 >> bit;
      out[o] = byte;
    }
  }
  return out;
}

function binarise(pixels: Buffer): Buffer {
  const counts = new Uint32Array(256);
  for (let i = 0; i < pixels.length; i++) counts[pixels[i]!]!++;
  const t = otsuThreshold(Array.from(counts));
  const out = Buffer.alloc(pixels.length);
  for (let i = 0; i < pixels.length; i++) out[i] = pixels[i]! <= t ? 0 : 255;
  return out;
}

/** Ink blots up to this many pixels (at 300 DPI) may be dirt: a 10.5 pt 、 or 。 has 50–80. */
const SPECKLE_MAX_AREA = 20;
/** A small blot with other ink this close is kept: it is a piece of a broken character. */
const SPECKLE_CLEARANCE = 4;

/**
 * Removes dirt from a binarised page: 8-connected ink blots of at most SPECKLE_MAX_AREA pixels with
 * no other ink within SPECKLE_CLEARANCE pixels. Dust and toner specks otherwise pass as diacritics
 * and break Tesseract's line finding: 500 4-px specks on a half page gave an error rate of 0.17
 * instead of 0.03 (0.03 with this step). The clearance keeps broken strokes of a bad photocopy
 * (its error rate: 0.066 without this step, 0.081 with it, 0.13 removing every small blot).
 */
function removeSpeckles(pixels: Buffer, width: number, height: number): Buffer {
  const seen = new Uint8Array(pixels.length);
  const stack = new Int32Array(pixels.length);
  const blot: number[] = [];
  for (let start = 0; start < pixels.length; start++) {
    if (pixels[start] !== 0 || seen[start]) continue;
    let top = 0;
    let size = 0;
    stack[top++] = start;
    seen[start] = 1;
    blot.length = 0;
    while (top > 0) {
      const i = stack[--top] ?? 0;
      if (++size <= SPECKLE_MAX_AREA) blot.push(i);
      const x = i % width;
      const y = (i - x) / width;
      for (let ny = Math.max(0, y - 1); ny <= Math.min(height - 1, y + 1); ny++) {
        for (let nx = Math.max(0, x - 1); nx <= Math.min(width - 1, x + 1); nx++) {
          const j = ny * width + nx;
          if (seen[j] || pixels[j] !== 0) continue;
          seen[j] = 1;
          stack[top++] = j;
        }
      }
    }
    if (size <= SPECKLE_MAX_AREA && inkAround(pixels, width, height, blot) === size) for (const i of blot) pixels[i] = 255;
  }
  return pixels;
}

/** Ink pixels in the blot's bounding box grown by SPECKLE_CLEARANCE (the blot's own included). */
function inkAround(pixels: Buffer, width: number, height: number, blot: number[]): number {
  let x0 = width, y0 = height, x1 = 0, y1 = 0;
  for (const i of blot) {
    const x = i % width;
    const y = (i - x) / width;
    x0 = Math.min(x0, x); x1 = Math.max(x1, x); y0 = Math.min(y0, y); y1 = Math.max(y1, y);
  }
  let ink = 0;
  for (let y = Math.max(0, y0 - SPECKLE_CLEARANCE); y <= Math.min(height - 1, y1 + SPECKLE_CLEARANCE); y++) {
    for (let x = Math.max(0, x0 - SPECKLE_CLEARANCE); x <= Math.min(width - 1, x1 + SPECKLE_CLEARANCE); x++) {
      if (pixels[y * width + x] === 0) ink++;
    }
  }
  return ink;
}

/** The page upright (EXIF applied) as a lossless greyscale PNG, otherwise untouched: to compare OCR engines on the same pixels. */
export async function uprightPage(image: Buffer, opts: PageOptions = {}): Promise<Buffer> {
  return onUprightPage(image, opts, (page) => page.greyscale().toColourspace('b-w').png({ compressionLevel: 1 }).toBuffer());
}

/** Page image for the viewer (upright, at most 2000 px on the long side, webp) and a ~300 px thumbnail. */
export async function makeWebImage(image: Buffer, opts: PageOptions = {}): Promise<{ webp: Buffer; width: number; height: number; thumb: Buffer }> {
  return onUprightPage(image, opts, async (page) => {
    const { data: webp, info } = await page.clone()
      .resize(2000, 2000, { fit: 'inside', withoutEnlargement: true })
      .webp({ quality: 80 })
      .toBuffer({ resolveWithObject: true });
    const thumb = await page.clone().resize(300, 300, { fit: 'inside', withoutEnlargement: true }).webp({ quality: 70 }).toBuffer();
    return { webp, width: info.width, height: info.height, thumb };
  });
}

/** A rectangle in the pixels of the upright image. */
export interface PixelRegion { x: number; y: number; w: number; h: number }

/**
 * A region of an image (the whole image when `region` is null) as webp, at most `maxSide` pixels on
 * its long side: the figures and covers of stories. The region is clamped to the image, so a region
 * drawn a little past the edge still shows what is there.
 */
export async function cropImage(image: Buffer, region: PixelRegion | null, opts: { maxSide?: number; maxPixels?: number } = {}): Promise<{ webp: Buffer; width: number; height: number }> {
  return onUprightPage(image, { maxPixels: opts.maxPixels }, async (page, meta) => {
    let picture = page;
    if (region) {
      const { width, height } = meta.autoOrient;
      const left = Math.min(Math.max(0, Math.round(region.x)), width - 1);
      const top = Math.min(Math.max(0, Math.round(region.y)), height - 1);
      picture = picture.extract({
        left, top, width: Math.max(1, Math.min(Math.round(region.w), width - left)), height: Math.max(1, Math.min(Math.round(region.h), height - top)),
      });
    }
    const side = opts.maxSide ?? 1200;
    const { data, info } = await picture.resize(side, side, { fit: 'inside', withoutEnlargement: true }).webp({ quality: 80 }).toBuffer({ resolveWithObject: true });
    return { webp: data, width: info.width, height: info.height };
  });
}
