/**
 * Tags as Chinese editors type lists: separated by 、 ， , ； ; or new lines; spaces inside a tag are
 * kept (single), duplicates dropped, order kept.
 */
export function splitTagList(raw: string): string[] {
  const tags = raw.split(/[,，、;；\n]/).map((t) => t.trim().replace(/\s+/g, ' ')).filter(Boolean);
  return [...new Set(tags)];
}
