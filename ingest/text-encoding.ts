/**
 * Plain-text transcriptions come in UTF-8, UTF-16 with a BOM, or GB18030/GBK (common in Chinese
 * archives). Decoders are strict: text that is valid in none of them is refused, never stored as mojibake.
 */
export class TextEncodingError extends Error {
  override readonly name = 'TextEncodingError';
}

export type TextEncoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'gb18030';

export function decodeTranscription(bytes: Buffer): { text: string; encoding: TextEncoding } {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return { text: strict('utf-8', bytes.subarray(3)), encoding: 'utf-8' };
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { text: strict('utf-16le', bytes.subarray(2)), encoding: 'utf-16le' };
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { text: strict('utf-16be', bytes.subarray(2)), encoding: 'utf-16be' };
  try {
    return { text: strict('utf-8', bytes), encoding: 'utf-8' };
  } catch {
    // Not UTF-8: GB18030 is a superset of GBK and GB2312, so one strict decoder covers all three.
    return { text: strict('gb18030', bytes), encoding: 'gb18030' };
  }
}

function strict(encoding: TextEncoding, bytes: Buffer): string {
  try {
    return new TextDecoder(encoding, { fatal: true }).decode(bytes);
  } catch {
    throw new TextEncodingError(`the text is not valid ${encoding.toUpperCase()} (nor any accepted encoding)`);
  }
}

/** A transcription's pages: form feeds separate pages; otherwise the whole file is one page. */
export function splitTranscriptionPages(text: string): string[] {
  const pages = text.replace(/\r\n?/g, '\n').split('\f').map((p) => p.trim());
  const kept = pages.filter((p) => p.length > 0);
  return kept.length > 0 ? kept : [''];
}
