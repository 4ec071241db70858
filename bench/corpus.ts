/**
 * Synthetic archive for the search benchmark and the search truth test: pages of recombined seed
 * sentences (bench/corpus-seeds.ts), 800–1,500 characters each, in documents of 1–50 pages across
 * several collections, years 1950–2024 and types; about one document in ten is printed in
 * traditional characters. Deterministic: the same seed gives the same archive.
 *
 * Run alone to write an archive's catalogue: `npx tsx bench/corpus.ts --pages 10000 --out bench/corpus/10000`
 * (bench/corpus/ is kept out of git). The search index is then built by the reindex path.
 */
import { createHash } from 'node:crypto';
import { parseArgs } from 'node:util';
import { Converter } from 'opencc-js/cn2t';
import { createCatalogue, type Catalogue } from '../src/catalogue/index.ts';
import {
  GIVEN_NAMES, PLACES, RARE_SENTENCES, SENTENCES, SHORT_UNITS, SURNAMES, UNITS,
} from './corpus-seeds.ts';
import { seededRandom } from '../fixtures/build/seeded-random.ts';

export interface CorpusOptions {
  /** Pages to generate in all. */
  pages: number;
  seed?: number;
  /** Largest document, in pages (default 50). */
  maxDocumentPages?: number;
}

export interface CorpusPage { number: number; headline: string | null; text: string }

export interface CorpusDocument {
  /** Stable per seed and position: a stand-in for the SHA-256 of an original file. */
  sha256: string;
  fileName: string;
  collection: { slug: string; title: string };
  title: string;
  date: string;
  type: string;
  traditional: boolean;
  published: boolean;
  pages: CorpusPage[];
}

interface CollectionPlan { slug: string; title: string; types: string[]; titleOf: (n: number, year: number, month: number) => string }

const COLLECTIONS: CollectionPlan[] = [
  { slug: 'shitanjing-yinji', title: '《石炭井印迹》', types: ['回忆录', '口述史料'], titleOf: (n) => `《石炭井印迹》第${n}辑` },
  { slug: 'shizuishan-zhengxie', title: '石嘴山市政协文史资料', types: ['文史资料', '回忆录'], titleOf: (n) => `石嘴山文史资料 第${n}辑` },
  { slug: 'zhengxie-zhi', title: '政协志', types: ['志书'], titleOf: (n, y) => `大武口区政协志（${y}年卷·${n}）` },
  { slug: 'newspapers', title: '报刊', types: ['报纸'], titleOf: (_n, y, m) => `石嘴山日报 ${y}年${m}月` },
  { slug: 'sanxian', title: '三线建设口述史', types: ['口述史料', '档案'], titleOf: (n) => `三线建设口述史 卷${n}` },
  { slug: 'helanshan-dangan', title: '贺兰山档案汇编', types: ['档案', '照片说明'], titleOf: (n) => `贺兰山档案汇编 第${n}册` },
];

const HEADLINE_TOPICS = ['旧事', '忆旧', '往事', '的第一代矿工', '的三线建设者', '老街', '的露天电影', '建矿记', '的学校', '的春节', '纪事', '的变迁'];


type Rng = () => number;
const pick = <T>(rng: Rng, items: readonly T[]): T => items[Math.floor(rng() * items.length)]!;
const between = (rng: Rng, lo: number, hi: number): number => lo + Math.floor(rng() * (hi - lo + 1));

function fillSlots(rng: Rng, template: string): string {
  return template.replace(/\{([YMDNPLUW])\}/g, (_m, slot: string) => {
    switch (slot) {
      case 'Y': return String(between(rng, 1950, 2024));
      case 'M': return String(between(rng, 1, 12));
      case 'D': return String(between(rng, 1, 28));
      case 'N': return String(rng() < 0.7 ? between(rng, 2, 99) : between(rng, 100, 999));
      case 'P': return pick(rng, SURNAMES) + pick(rng, GIVEN_NAMES);
      case 'L': return pick(rng, PLACES);
      case 'U': return pick(rng, UNITS);
      default: return pick(rng, SHORT_UNITS);
    }
  });
}

/** One page of 800–1,500 characters: sentences in paragraphs of three to six. */
function pageText(rng: Rng): string {
  const target = between(rng, 800, 1500);
  const paragraphs: string[] = [];
  let length = 0;
  while (length < target) {
    let paragraph = '';
    const sentences = between(rng, 3, 6);
    for (let i = 0; i < sentences && length + paragraph.length < target; i++) {
      paragraph += fillSlots(rng, rng() < 0.001 ? pick(rng, RARE_SENTENCES) : pick(rng, SENTENCES));
    }
    paragraphs.push(paragraph);
    length += paragraph.length + 1;
  }
  return paragraphs.join('\n').slice(0, 1500);
}

let toTraditional: ((s: string) => string) | null = null;
function traditional(s: string): string {
  const convert = toTraditional ?? Converter({ from: 'cn', to: 't' });
  toTraditional = convert;
  return convert(s);
}

/** The documents of a corpus, one after another, until `pages` pages have been produced. */
export function* generateDocuments(opts: CorpusOptions): Generator<CorpusDocument> {
  const seed = opts.seed ?? 1;
  const rng = seededRandom(seed);
  const maxPages = opts.maxDocumentPages ?? 50;
  const volumes = new Map<string, number>();
  let produced = 0;
  for (let index = 0; produced < opts.pages; index++) {
    const plan = pick(rng, COLLECTIONS);
    const year = between(rng, 1950, 2024);
    const month = between(rng, 1, 12);
    const volume = (volumes.get(plan.slug) ?? 0) + 1;
    volumes.set(plan.slug, volume);
    // Skewed towards short documents (newspaper pages, letters) with a tail of whole volumes.
    const count = Math.min(opts.pages - produced, Math.max(1, Math.round(rng() ** 1.6 * maxPages)));
    const isTraditional = rng() < 0.1;
    const convert = isTraditional ? traditional : (s: string) => s;
    const pages: CorpusPage[] = [];
    for (let n = 1; n <= count; n++) {
      const headline = n === 1 || rng() < 0.15 ? `${pick(rng, PLACES)}${pick(rng, HEADLINE_TOPICS)}` : null;
      pages.push({ number: n, headline: headline && convert(headline), text: convert(pageText(rng)) });
    }
    produced += count;
    yield {
      sha256: createHash('sha256').update(`wenshi-bench-corpus:${seed}:${index}`).digest('hex'),
      fileName: `corpus-${seed}-${index}.txt`,
      collection: { slug: plan.slug, title: plan.title },
      title: plan.titleOf(volume, year, month),
      date: rng() < 0.5 ? `${year}年` : `${year}-${String(month).padStart(2, '0')}`,
      type: pick(rng, plan.types),
      traditional: isTraditional,
      published: rng() >= 0.03,
      pages,
    };
  }
}

export interface CorpusSummary { documents: number; pages: number; characters: number; traditionalPages: number }

/**
 * Writes a corpus straight into the catalogue, in one transaction (an ingest through the pipeline
 * would take hours at 100,000 pages and measure something else). Pages are left unindexed.
 */
export function writeCorpus(catalogue: Catalogue, opts: CorpusOptions): CorpusSummary {
  const summary: CorpusSummary = { documents: 0, pages: 0, characters: 0, traditionalPages: 0 };
  catalogue.db.transaction(() => {
    for (const doc of generateDocuments(opts)) {
      const collection = catalogue.collections.ensure(doc.collection.slug, doc.collection.title);
      const id = doc.sha256.slice(0, 12);
      catalogue.documents.insert({
        id, sha256: doc.sha256, originalName: doc.fileName, mediaType: 'text/plain', bytes: 0,
        collectionId: collection.id, metadata: { title: doc.title, date: doc.date, type: doc.type, language: doc.traditional ? 'zh-Hant' : 'zh-Hans' },
        published: doc.published, ocrLanguages: 'auto',
      });
      for (const page of doc.pages) {
        catalogue.pages.save(id, page.number, {
          text: page.text, source: 'text-layer', confidence: null, needsOcr: false, headline: page.headline, dek: null,
          byline: null, captions: [], layout: null, imageWidth: null, imageHeight: null, hasImage: false,
        });
        summary.characters += page.text.length;
      }
      catalogue.documents.setStatus(id, 'ready', doc.pages.length);
      summary.documents++;
      summary.pages += doc.pages.length;
      if (doc.traditional) summary.traditionalPages += doc.pages.length;
    }
  })();
  return summary;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { pages: { type: 'string', default: '10000' }, out: { type: 'string' }, seed: { type: 'string', default: '1' } } });
  const pages = Number(values.pages);
  const out = values.out ?? `bench/corpus/${pages}`;
  const catalogue = createCatalogue(out);
  if (catalogue.pages.totalCount() > 0) throw new Error(`${out} already holds a catalogue; remove it first`);
  const started = performance.now();
  const summary = writeCorpus(catalogue, { pages, seed: Number(values.seed) });
  catalogue.close();
  console.log(`${out}: ${summary.documents} documents, ${summary.pages} pages (${summary.traditionalPages} traditional), ` +
    `${summary.characters} characters, in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
