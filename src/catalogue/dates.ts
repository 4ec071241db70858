/**
 * Turns a date as written in an archive ("1958年秋", "民国三十八年", "1950年代", "2024-05-01")
 * into a year range for facets and sorting. The text as written is kept elsewhere; this is derived.
 */
export interface YearRange { from: number; to: number }

const DIGITS: Record<string, number> = {
  〇: 0, 零: 0, 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9,
};

/** Chinese numerals up to 99 (三十八, 十二, 廿一) or digit-by-digit (一九五八). */
export function chineseNumber(s: string): number | null {
  if (/^\d+$/.test(s)) return Number(s);
  if (/^[〇零一二三四五六七八九]+$/.test(s) && s.length >= 2 && !s.includes('十')) {
    return Number([...s].map((c) => DIGITS[c]).join(''));
  }
  const m = /^([一二三四五六七八九]?)(十|廿|卅)?([一二三四五六七八九]?)$/.exec(s);
  if (!m || s === '') return null;
  const [, tensDigit = '', tenSign, ones = ''] = m;
  if (!tenSign) return tensDigit ? DIGITS[tensDigit]! : null;
  const tens = tenSign === '廿' ? 2 : tenSign === '卅' ? 3 : tensDigit ? DIGITS[tensDigit]! : 1;
  return tens * 10 + (ones ? DIGITS[ones]! : 0);
}

const ERA_START: Record<string, number> = { 民国: 1911, 中华民国: 1911 };

export function normalizeYear(written: string): YearRange | null {
  const s = written.trim();
  if (!s) return null;
  const era = /(中华民国|民国)([〇零一二三四五六七八九十廿卅\d]+|元)年/.exec(s);
  if (era) {
    const n = era[2] === '元' ? 1 : chineseNumber(era[2]!);
    if (n !== null) {
      const year = ERA_START[era[1]!]! + n;
      return { from: year, to: year };
    }
  }
  const decade = /(\d{3})0\s*年代/.exec(s);
  if (decade) {
    const from = Number(decade[1]) * 10;
    return { from, to: from + 9 };
  }
  // "1958—1962", also written out as "1958年至1962年".
  const span = /(\d{4})\s*年?\s*[—–\-~～至到]\s*(\d{4})/.exec(s);
  if (span) return { from: Number(span[1]), to: Number(span[2]) };
  const year = /(?<!\d)(\d{4})(?!\d)/.exec(s);
  if (year) return { from: Number(year[1]), to: Number(year[1]) };
  const hanYear = /([〇零一二三四五六七八九]{4})年/.exec(s);
  if (hanYear) {
    const y = chineseNumber(hanYear[1]!);
    if (y !== null) return { from: y, to: y };
  }
  return null;
}
