import { decodeTranscription } from './text-encoding.ts';

/**
 * A file name's bytes as text. Names are UTF-8 almost everywhere, but folders copied from Chinese Windows
 * systems and zip archives made there carry GBK names: those are decoded as GB18030 (which contains GBK)
 * rather than turned into replacement characters. Bytes valid in neither keep replacement characters.
 */
export function decodeFileName(bytes: Buffer): string {
  try {
    return decodeTranscription(bytes).text;
  } catch {
    return bytes.toString('utf8');
  }
}
