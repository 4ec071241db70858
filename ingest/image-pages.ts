import sharp from 'sharp';

export class ImageReadError extends Error {
  override readonly name = 'ImageReadError';
  constructor(message: string, readonly code: 'image-corrupt' | 'image-too-large', options?: ErrorOptions) {
    super(message, options);
  }
}

/** Pages in a scan (a multi-page TIFF is a multi-page document), checked for decodability and size without decoding pixels. */
export async function countImagePages(bytes: Buffer, opts: { maxPages: number; maxImagePixels: number }): Promise<number> {
  let meta: Awaited<ReturnType<ReturnType<typeof sharp>["metadata"]>>;
  try {
    // The header only, without sharp's pixel limit: an oversized image is then refused below with its
    // real size, instead of as "cannot be read". Nothing is decoded here, so a decompression bomb costs nothing.
    meta = await sharp(bytes, { limitInputPixels: false }).metadata();
  } catch (error) {
    throw new ImageReadError(`the image is damaged and cannot be read (${(error as Error).message.split('\n')[0]})`, 'image-corrupt', { cause: error });
  }
  const pixels = (meta.width ?? 0) * (meta.height ?? 0);
  if (pixels > opts.maxImagePixels) {
    const mp = (n: number) => `${Math.round(n / 1e5) / 10} megapixels`;
    throw new ImageReadError(`the image has ${meta.width}×${meta.height} pixels (${mp(pixels)}), over the limit of ${mp(opts.maxImagePixels)} (MAX_IMAGE_MEGAPIXELS)`, 'image-too-large');
  }
  const pages = meta.pages ?? 1;
  if (pages > opts.maxPages) throw new ImageReadError(`the image has ${pages} pages; the limit is ${opts.maxPages}`, 'image-too-large');
  return pages;
}
