/** OCR languages: one table for the CLI, the upload form and the engine. */
export const OCR_LANGUAGES = ['chi_sim', 'chi_tra', 'eng'] as const;
export type OcrLanguageCode = (typeof OCR_LANGUAGES)[number];
export type LanguageChoice = 'auto' | OcrLanguageCode[];

export const LANGUAGE_LABELS: Record<OcrLanguageCode | 'auto', string> = {
  auto: '自动（简体/繁体逐页判断）', chi_sim: '简体中文', chi_tra: '繁体中文', eng: 'English',
};

/** `auto`, or languages joined with `+` (`chi_tra+eng`). */
export function parseLanguageChoice(value: string): LanguageChoice {
  if (value === 'auto') return 'auto';
  const parts = value.split('+').map((p) => p.trim());
  const unknown = parts.filter((p) => !(OCR_LANGUAGES as readonly string[]).includes(p));
  if (unknown.length > 0 || parts.length === 0) {
    throw new Error(`unknown OCR language "${unknown.join('+') || value}": use auto, or ${OCR_LANGUAGES.join(', ')} joined with +`);
  }
  return [...new Set(parts)] as OcrLanguageCode[];
}
