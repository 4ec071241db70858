import type { RequestHandler } from 'express';
import { STAFF_MESSAGES } from './staff-messages.ts';
import { READER_MESSAGES } from './reader-messages.ts';
import { STORY_MESSAGES } from './story-messages.ts';

/** Interface languages: Chinese first, English available (?lang=en, remembered in a cookie). */
export type UiLanguage = 'zh-CN' | 'en';

const MESSAGES = {
  siteName: { 'zh-CN': '文史', en: 'Wenshi' },
  tagline: { 'zh-CN': '地方文史资料检索', en: 'Search Chinese local cultural-history archives' },
  search: { 'zh-CN': '检索', en: 'Search' },
  searchPlaceholder: { 'zh-CN': '输入字词，如 石炭井', en: 'Words or characters, e.g. 石炭井' },
  collections: { 'zh-CN': '文集与刊物', en: 'Collections' },
  documents: { 'zh-CN': '文献', en: 'documents' },
  pages: { 'zh-CN': '页', en: 'pages' },
  results: { 'zh-CN': '条结果', en: 'results' },
  noResults: { 'zh-CN': '没有找到包含该字词的页面。', en: 'No page contains these words.' },
  occurrences: { 'zh-CN': '处', en: 'occurrences' },
  page: { 'zh-CN': '第 {n} 页', en: 'Page {n}' },
  previous: { 'zh-CN': '上一页', en: 'Previous' },
  next: { 'zh-CN': '下一页', en: 'Next' },
  collection: { 'zh-CN': '文集', en: 'Collection' },
  year: { 'zh-CN': '年份', en: 'Year' },
  type: { 'zh-CN': '类型', en: 'Type' },
  sortRelevance: { 'zh-CN': '按相关度', en: 'By relevance' },
  sortDate: { 'zh-CN': '按年代', en: 'By date' },
  groupPages: { 'zh-CN': '按页', en: 'By page' },
  groupDocuments: { 'zh-CN': '按文献', en: 'By document' },
  matchingPages: { 'zh-CN': '页命中', en: 'matching pages' },
  captions: { 'zh-CN': '图片说明', en: 'Captions' },
  metadata: { 'zh-CN': '著录信息', en: 'Metadata' },
  pageList: { 'zh-CN': '页面', en: 'Pages' },
  needsOcr: { 'zh-CN': '待识别（OCR）', en: 'awaiting OCR' },
  clearFilters: { 'zh-CN': '清除筛选', en: 'Clear filters' },
  home: { 'zh-CN': '首页', en: 'Home' },
  searchInDocument: { 'zh-CN': '在本文献中检索', en: 'Search this document' },
  unpublished: { 'zh-CN': '未发布', en: 'unpublished' },
  language: { 'zh-CN': 'English', en: '中文' },
  allCollections: { 'zh-CN': '全部文集', en: 'All collections' },
  emptyArchive: { 'zh-CN': '档案库中还没有文献。', en: 'The archive is empty.' },
  ...STAFF_MESSAGES,
  ...READER_MESSAGES,
  ...STORY_MESSAGES,
} as const;

export type MessageKey = keyof typeof MESSAGES;
export type Translate = (key: MessageKey, vars?: Record<string, string | number>) => string;

export function translator(lang: UiLanguage): Translate {
  return (key, vars = {}) => MESSAGES[key][lang].replace(/\{(\w+)\}/g, (_, v: string) => String(vars[v] ?? ''));
}

export const DC_LABELS: Record<string, { 'zh-CN': string; en: string }> = {
  title: { 'zh-CN': '题名', en: 'Title' }, creator: { 'zh-CN': '责任者', en: 'Creator' },
  contributor: { 'zh-CN': '其他责任者', en: 'Contributor' }, publisher: { 'zh-CN': '出版者', en: 'Publisher' },
  date: { 'zh-CN': '日期', en: 'Date' }, type: { 'zh-CN': '类型', en: 'Type' }, source: { 'zh-CN': '来源', en: 'Source' },
  language: { 'zh-CN': '语种', en: 'Language' }, rights: { 'zh-CN': '权限', en: 'Rights' },
  description: { 'zh-CN': '摘要', en: 'Description' }, subject: { 'zh-CN': '主题', en: 'Subject' },
  coverage: { 'zh-CN': '时空范围', en: 'Coverage' },
};

export const languageMiddleware: RequestHandler = (req, res, next) => {
  const asked = typeof req.query.lang === 'string' ? req.query.lang : null;
  const cookie = /(?:^|;\s*)ui_lang=(en|zh-CN)/.exec(req.headers.cookie ?? '')?.[1] ?? null;
  const lang: UiLanguage = (asked === 'en' || asked === 'zh-CN' ? asked : cookie) === 'en' ? 'en' : 'zh-CN';
  if (asked === 'en' || asked === 'zh-CN') res.cookie('ui_lang', asked, { sameSite: 'lax', httpOnly: true, maxAge: 365 * 86400_000 });
  res.locals.lang = lang;
  res.locals.t = translator(lang);
  res.locals.dcLabel = (f: string) => DC_LABELS[f]?.[lang] ?? f;
  next();
};
