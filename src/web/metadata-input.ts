import { normalizeYear } from '../catalogue/dates.ts';
import { DUBLIN_CORE_FIELDS, type DublinCore, type DublinCoreField } from '../catalogue/types.ts';

/**
 * Dublin Core values from a form or a JSON body, checked at the edge. Dates are kept exactly as
 * written (民国三十八年, 1950年代, 1958年秋); the catalogue derives the year from them.
 */
export type FieldErrors = Partial<Record<DublinCoreField, string>>;

const MAX_LENGTH: Partial<Record<DublinCoreField, number>> = { title: 500, description: 20_000, subject: 2000 };
const DEFAULT_MAX = 1000;
/** Control characters other than tab and newline never belong in metadata (they come from pasted binary). */
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f]/;
const MULTILINE: ReadonlySet<DublinCoreField> = new Set(['description', 'subject']);

export function isDublinCoreField(key: string): key is DublinCoreField {
  return (DUBLIN_CORE_FIELDS as readonly string[]).includes(key);
}

/** The year a written date stands for, for display beside the field ("1949", "1950–1959"), or null. */
export function describeYears(date: string): string | null {
  const years = normalizeYear(date);
  if (!years) return null;
  return years.from === years.to ? String(years.from) : `${years.from}–${years.to}`;
}

function fieldProblem(field: DublinCoreField, value: string): string | null {
  const max = MAX_LENGTH[field] ?? DEFAULT_MAX;
  if (value.length > max) return `最多 ${max} 个字符 (at most ${max} characters)`;
  if (CONTROL.test(value) || (!MULTILINE.has(field) && /[\r\n]/.test(value))) return '含有不允许的控制字符 (control characters)';
  if (field === 'title' && value.trim() === '') return '题名不能为空 (a title is required)';
  if (field === 'date' && value.trim() !== '') {
    const years = normalizeYear(value);
    const latest = new Date().getFullYear() + 1;
    if (years && (years.from > years.to || years.from < 1000 || years.to > latest)) {
      return `年份不合理：${years.from}–${years.to} (implausible year)`;
    }
  }
  return null;
}

/**
 * Checks the given fields. `strict` (the JSON API) refuses keys that are not Dublin Core fields;
 * forms carry other fields (`_csrf`) and ignore them.
 */
export function parseMetadataInput(input: unknown, strict: boolean): { changes: Partial<DublinCore>; errors: FieldErrors; unknown: string[] } {
  const changes: Partial<DublinCore> = {};
  const errors: FieldErrors = {};
  const unknown: string[] = [];
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return { changes, errors, unknown: ['(body)'] };
  for (const [key, raw] of Object.entries(input)) {
    if (!isDublinCoreField(key)) {
      if (strict) unknown.push(key);
      continue;
    }
    if (typeof raw !== 'string') {
      errors[key] = '应为文本 (must be a string)';
      continue;
    }
    const value = raw.replace(/\r\n?/g, '\n').trim();
    const problem = fieldProblem(key, value);
    if (problem) errors[key] = problem;
    else changes[key] = value;
  }
  return { changes, errors, unknown };
}

export function describeErrors(errors: FieldErrors): string {
  return Object.entries(errors).map(([f, m]) => `${f}: ${m}`).join('; ');
}
