/**
 * OCR character error rate as the OCR test and benchmark count it: whitespace removed (line breaks
 * and indents are layout, not text) and punctuation width folded (the models return ASCII or
 * full-width marks depending on context; both read the same), then test/support/cer.ts.
 */
import { characterErrorRate } from './cer.ts';

const PUNCTUATION_FOLD: Record<string, string> = {
  '，': ',', '。': '.', '．': '.', '：': ':', '；': ';', '（': '(', '）': ')', '！': '!', '？': '?',
};

/** Removes whitespace and folds full-width punctuation to one form. */
export function normaliseForCer(text: string): string {
  let out = '';
  for (const ch of text.normalize('NFC').replace(/\s+/gu, '')) out += PUNCTUATION_FOLD[ch] ?? ch;
  return out;
}

/** Character error rate of OCR output against ground truth, after normaliseForCer (0 = perfect). */
export function ocrCharacterErrorRate(actual: string, expected: string): number {
  return characterErrorRate(normaliseForCer(actual), normaliseForCer(expected));
}
