import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';

/**
 * The only reader of `process.env`. Validated once at start-up, frozen, and passed
 * to whatever needs it, so tests build the app with their own values.
 */
export interface Config {
  readonly port: number;
  readonly dataDir: string;
  readonly meiliUrl: string | null;
  readonly meiliMasterKey: string | null;
  /** Prefix of every index uid, so several archives can share one Meilisearch. */
  readonly meiliIndexPrefix: string;
  readonly adminUser: string | null;
  readonly adminPassword: string | null;
  readonly demo: boolean;
  /** OCR engines working at once; never more than the cores. */
  readonly ocrWorkers: number;
  /** Memory the search process may give to holding every page's search text (search-text-mirror.ts); 0 turns it off. */
  readonly searchTextMemoryBytes: number;
  readonly limits: Limits;
}

/** Every input limit in one place: uploads, decoding and OCR all read these. */
export interface Limits {
  readonly maxFileBytes: number;
  readonly maxFilesPerRequest: number;
  readonly maxPagesPerDocument: number;
  readonly maxImagePixels: number;
  readonly secondsPerPage: number;
}

const flag = z
  .enum(['0', '1', 'true', 'false', 'yes', 'no'])
  .transform((v) => v === '1' || v === 'true' || v === 'yes');

const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  DATA_DIR: z.string().min(1).default('./data'),
  MEILI_URL: z.url().optional(),
  MEILI_MASTER_KEY: z.string().min(16).optional(),
  MEILI_INDEX_PREFIX: z.string().regex(/^[A-Za-z0-9_-]*$/).default(''),
  ADMIN_USER: z.string().min(1).optional(),
  ADMIN_PASSWORD: z.string().min(8).optional(),
  DEMO: flag.default(true),
  MAX_FILE_MB: z.coerce.number().positive().default(200),
  MAX_FILES_PER_UPLOAD: z.coerce.number().int().positive().default(50),
  MAX_PAGES: z.coerce.number().int().positive().default(2000),
  MAX_IMAGE_MEGAPIXELS: z.coerce.number().positive().default(120),
  OCR_WORKERS: z.coerce.number().int().min(1).max(64).optional(),
  OCR_SECONDS_PER_PAGE: z.coerce.number().positive().default(180),
  SEARCH_TEXT_MEMORY_MB: z.coerce.number().min(0).default(1024),
});

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<Config> = {}): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new ConfigError(`invalid configuration: ${problems}`);
  }
  const e = parsed.data;
  const config: Config = {
    port: e.PORT,
    dataDir: path.resolve(e.DATA_DIR),
    meiliUrl: e.MEILI_URL ?? null,
    meiliMasterKey: e.MEILI_MASTER_KEY ?? null,
    meiliIndexPrefix: e.MEILI_INDEX_PREFIX,
    adminUser: e.ADMIN_USER ?? null,
    adminPassword: e.ADMIN_PASSWORD ?? null,
    demo: e.DEMO,
    ocrWorkers: Math.min(e.OCR_WORKERS ?? os.availableParallelism(), os.availableParallelism()),
    searchTextMemoryBytes: Math.round(e.SEARCH_TEXT_MEMORY_MB * 1024 * 1024),
    limits: {
      maxFileBytes: Math.round(e.MAX_FILE_MB * 1024 * 1024),
      maxFilesPerRequest: e.MAX_FILES_PER_UPLOAD,
      maxPagesPerDocument: e.MAX_PAGES,
      maxImagePixels: Math.round(e.MAX_IMAGE_MEGAPIXELS * 1_000_000),
      secondsPerPage: e.OCR_SECONDS_PER_PAGE,
    },
    ...overrides,
  };
  return Object.freeze(config);
}
