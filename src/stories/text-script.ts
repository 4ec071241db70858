/**
 * Which Chinese script a passage is written in, so that the page can say so (`lang="zh-Hant"`): a
 * screen reader then picks the right voice, and the browser the right glyph forms.
 */
import { foldQuery } from '../search/normalize.ts';

export type ChineseScript = 'zh-Hans' | 'zh-Hant';

const HAN = /\p{Script=Han}/u;
/**
 * Share of Han characters that must change under the traditional→simplified fold before a text counts
 * as traditional. Real traditional prose changes about a quarter of its characters; a simplified text
 * changes almost none (the odd variant form), so 5% separates them with room on both sides.
 */
const TRADITIONAL_SHARE = 0.05;

/** The script of a passage, or null when it has no Han characters. */
export function chineseScript(text: string): ChineseScript | null {
  let han = 0;
  let changed = 0;
  for (const ch of text) {
    if (!HAN.test(ch)) continue;
    han++;
    if (foldQuery(ch) !== ch) changed++;
  }
  if (han === 0) return null;
  return changed > 0 && changed / han >= TRADITIONAL_SHARE ? 'zh-Hant' : 'zh-Hans';
}
