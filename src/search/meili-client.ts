import { Meilisearch, type Index, type Task } from 'meilisearch';
import { PAGES_INDEX_SETTINGS, parsePageId, type PageSearchDocument } from './index-settings.ts';
import { STORIES_INDEX_NAME, STORIES_INDEX_SETTINGS, type StorySearchDocument } from './story-index.ts';
import { createMeiliTransport, EngineHttpError } from './meili-transport.ts';

/** The only importer of `meilisearch`. Everything the app asks of the search engine goes through here. */

export class SearchUnavailableError extends Error {
  override readonly name = 'SearchUnavailableError';
}

const PAGES_INDEX_NAME = 'pages';

export interface EngineQuery {
  q: string;
  filter: string[];
  facets: string[];
  offset: number;
  limit: number;
  sort?: string[];
}

export interface EngineResult {
  ids: Array<{ documentId: string; pageNumber: number }>;
  total: number;
  facets: Record<string, Record<string, number>>;
}

export interface SearchEngine extends StoryEngine {
  healthy(): Promise<boolean>;
  /** Creates the index if missing and applies the settings; waits until they are in force. */
  preparePagesIndex(uid?: string): Promise<void>;
  indexExists(uid: string): Promise<boolean>;
  addPages(docs: PageSearchDocument[], uid?: string): Promise<void>;
  /**
   * Queues pages for indexing without waiting; `settled` resolves when the task is done. Lets a
   * rebuild keep several batches queued, which Meilisearch indexes together.
   */
  queuePages(docs: PageSearchDocument[], uid: string): Promise<{ settled: Promise<void> }>;
  updatePages(partial: Array<Partial<PageSearchDocument> & { id: string }>): Promise<void>;
  /** Every page record of the index, a batch at a time, without the searchable fields (npm run check). */
  scanPages(batchSize?: number): AsyncGenerator<IndexedPage[]>;
  deletePages(ids: string[]): Promise<void>;
  /** Uids of every index under this engine's prefix (temporary build indexes included). */
  listIndexUids(): Promise<string[]>;
  deleteDocumentPages(documentId: string): Promise<void>;
  searchPages(query: EngineQuery): Promise<EngineResult>;
  /**
   * Every matching page, unordered, with no document fetched: the ids come from the facet
   * distribution of `id`, about ten times cheaper than hits when there are thousands.
   */
  listPageIds(query: Pick<EngineQuery, 'q' | 'filter'>): Promise<Array<{ documentId: string; pageNumber: number }>>;
  /**
   * Hits `offset` … `offset + limit − 1` of a ranked search, ids only: no total, no facets (the
   * caller has them from `searchPages`). Meilisearch ranks as `searchPages` does and reads only the
   * records asked for, so the hits after a first answer cost what they are, not all of them again.
   */
  rankedPageIdsFrom(query: Pick<EngineQuery, 'q' | 'filter' | 'sort' | 'offset' | 'limit'>): Promise<Array<{ documentId: string; pageNumber: number }>>;
  /** Swaps `uid` into place as the pages index, then drops the old one. */
  swapIntoPages(uid: string): Promise<void>;
  /** A uid for a temporary index under this engine's prefix. */
  temporaryIndexUid(label: string): string;
  /** Drops every index under this engine's prefix (tests clean up with it). */
  dropAllIndexes(): Promise<void>;
  countPages(uid?: string): Promise<number>;
  deleteIndex(uid: string): Promise<void>;
}

/** What `scanPages` returns of each page record: everything but the searchable character fields. */
export type IndexedPage = Pick<PageSearchDocument, 'id' | 'documentId' | 'pageNumber' | 'collection' | 'year' | 'yearTo' | 'type' | 'published' | 'source' | 'textHash'>;
const INDEXED_PAGE_FIELDS: Array<keyof IndexedPage> = ['id', 'documentId', 'pageNumber', 'collection', 'year', 'yearTo', 'type', 'published', 'source', 'textHash'];

/** The engine's own answer inside an error (the client wraps what the transport throws). */
function engineAnswer(error: unknown): EngineHttpError | null {
  if (error instanceof EngineHttpError) return error;
  if (error instanceof Error && error.cause instanceof EngineHttpError) return error.cause;
  return null;
}

async function guard<T>(what: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    const answer = engineAnswer(error);
    if (answer) throw answer;
    throw new SearchUnavailableError(`search engine unreachable (${what})`, { cause: error });
  }
}

/**
 * Waits for an enqueued task, polling with a short back-off: a small task (one document's pages)
 * settles in milliseconds, and no shared abort signal gathers a listener per poll as the client's own
 * waitTask does (Node warns about a leak past ten).
 */
async function settle(client: Meilisearch, enqueued: PromiseLike<{ taskUid: number }>, timeoutMs = 600_000): Promise<Task> {
  const { taskUid } = await enqueued;
  const deadline = Date.now() + timeoutMs;
  for (let delay = 5; ; delay = Math.min(delay * 2, 100)) {
    const task = await client.tasks.getTask(taskUid);
    if (task.status === 'succeeded' || task.status === 'failed' || task.status === 'canceled') return task;
    if (Date.now() > deadline) throw new Error(`task ${taskUid} did not finish within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, delay));
  }
}

/**
 * `indexPrefix` lets several archives (or test runs) share one Meilisearch server without touching
 * each other's indexes; every index uid used below is prefixed with it.
 */
export function createSearchEngine(url: string, apiKey: string, indexPrefix = ''): SearchEngine {
  const client = new Meilisearch({ host: url, apiKey, timeout: 60_000, httpClient: createMeiliTransport() });
  const PAGES_INDEX = `${indexPrefix}${PAGES_INDEX_NAME}`;
  const pages = (uid = PAGES_INDEX): Index<PageSearchDocument> => client.index<PageSearchDocument>(uid);

  return {
    ...storyIndexMethods(client, indexPrefix),
    async healthy() {
      try {
        await client.health();
        return true;
      } catch {
        return false;
      }
    },
    async indexExists(uid) {
      return guard('index lookup', async () => {
        try {
          await client.getIndex(uid);
          return true;
        } catch (error) {
          if (engineAnswer(error)?.code === 'index_not_found') return false;
          throw error;
        }
      });
    },
    async preparePagesIndex(uid = PAGES_INDEX) {
      await guard('prepare index', async () => {
        if (!(await this.indexExists(uid))) await settle(client, client.createIndex(uid, { primaryKey: 'id' }));
        const task = await settle(client, pages(uid).updateSettings(PAGES_INDEX_SETTINGS));
        if (task.status !== 'succeeded') throw new Error(`settings task ${task.status}: ${task.error?.message ?? ''}`);
      });
    },
    async addPages(docs, uid = PAGES_INDEX) {
      if (docs.length === 0) return;
      await guard('add pages', async () => {
        const task = await settle(client, pages(uid).addDocuments(docs, { primaryKey: 'id' }));
        if (task.status !== 'succeeded') throw new Error(`indexing task ${task.status}: ${task.error?.message ?? ''}`);
      });
    },
    async queuePages(docs, uid) {
      const { taskUid } = await guard('add pages', async () => pages(uid).addDocuments(docs, { primaryKey: 'id' }));
      const settled = guard('add pages', async () => {
        const task = await settle(client, Promise.resolve({ taskUid }));
        if (task.status !== 'succeeded') throw new Error(`indexing task ${task.status}: ${task.error?.message ?? ''}`);
      });
      settled.catch(() => {}); // awaited by the caller; never an unhandled rejection meanwhile
      return { settled };
    },
    async updatePages(partial) {
      if (partial.length === 0) return;
      await guard('update pages', async () => {
        await settle(client, pages().updateDocuments(partial as PageSearchDocument[]));
      });
    },
    async *scanPages(batchSize = 1000) {
      for (let offset = 0; ; offset += batchSize) {
        const batch = await guard('list pages', async () => pages().getDocuments<IndexedPage>({ fields: INDEXED_PAGE_FIELDS, offset, limit: batchSize }));
        if (batch.results.length > 0) yield batch.results;
        if (batch.results.length < batchSize) return;
      }
    },
    async deletePages(ids) {
      if (ids.length === 0) return;
      await guard('delete pages', async () => {
        await settle(client, pages().deleteDocuments(ids));
      });
    },
    async listIndexUids() {
      return guard('list indexes', async () => {
        const { results } = await client.getIndexes({ limit: 1000 });
        return results.map((index) => index.uid).filter((uid) => uid.startsWith(indexPrefix));
      });
    },
    async deleteDocumentPages(documentId) {
      await guard('delete pages', async () => {
        await settle(client, pages().deleteDocuments({ filter: `documentId = ${JSON.stringify(documentId)}` }));
      });
    },
    async searchPages(query) {
      return guard('search', async () => {
        const res = await pages().search(query.q, {
          filter: query.filter,
          facets: query.facets,
          // page/hitsPerPage makes Meilisearch count exhaustively: `total` is exact.
          hitsPerPage: Math.max(query.limit, 1),
          page: Math.floor(query.offset / Math.max(query.limit, 1)) + 1,
          attributesToRetrieve: ['id'], // documentId and pageNumber are in it; less for Meilisearch to write
          sort: query.sort,
          locales: ['cmn'],
          matchingStrategy: 'all',
        });
        return {
          ids: res.hits.map((h) => parsePageId(h.id)),
          total: res.totalHits ?? 0,
          facets: (res.facetDistribution ?? {}) as Record<string, Record<string, number>>,
        };
      });
    },
    async rankedPageIdsFrom(query) {
      return guard('search', async () => {
        const res = await pages().search(query.q, {
          filter: query.filter, offset: query.offset, limit: query.limit, attributesToRetrieve: ['id'], sort: query.sort,
          locales: ['cmn'], matchingStrategy: 'all',
        });
        return res.hits.map((h) => parsePageId(h.id));
      });
    },
    async listPageIds(query) {
      return guard('search', async () => {
        const res = await pages().search(query.q, {
          filter: query.filter, facets: ['id'], hitsPerPage: 0, page: 1, locales: ['cmn'], matchingStrategy: 'all',
        });
        return Object.keys(res.facetDistribution?.id ?? {}).map(parsePageId);
      });
    },
    async swapIntoPages(uid) {
      await guard('swap', async () => {
        if (!(await this.indexExists(PAGES_INDEX))) await settle(client, client.createIndex(PAGES_INDEX, { primaryKey: 'id' }));
        const task = await settle(client, client.swapIndexes([{ indexes: [PAGES_INDEX, uid], rename: false }]));
        if (task.status !== 'succeeded') throw new Error(`swap task ${task.status}: ${task.error?.message ?? ''}`);
        await settle(client, client.deleteIndex(uid));
      });
    },
    temporaryIndexUid(label) {
      // The builder's pid in the name: a build left behind by a process that died is recognised as such.
      return `${indexPrefix}${label}_${process.pid}_${Date.now()}`;
    },
    async dropAllIndexes() {
      await guard('drop indexes', async () => {
        const { results } = await client.getIndexes({ limit: 1000 });
        for (const index of results) {
          if (indexPrefix && index.uid.startsWith(indexPrefix)) await settle(client, client.deleteIndex(index.uid));
        }
      });
    },
    async countPages(uid = PAGES_INDEX) {
      return guard('stats', async () => (await pages(uid).getStats()).numberOfDocuments);
    },
    async deleteIndex(uid) {
      await guard('delete index', async () => {
        await client.deleteIndexIfExists(uid);
      });
    },
  };
}

/** The `stories` index (story-index.ts): few documents, kept in step with every change to a story. */
export interface StoryEngineQuery {
  q: string;
  filter: string[];
  limit: number;
}

export interface StoryEngine {
  /** Creates the stories index if missing and applies its settings; waits until they are in force. */
  prepareStoriesIndex(uid?: string): Promise<void>;
  addStories(docs: StorySearchDocument[], uid?: string): Promise<void>;
  deleteStories(ids: string[]): Promise<void>;
  /** Ids of candidate stories, best first. */
  searchStories(query: StoryEngineQuery): Promise<string[]>;
  countStories(): Promise<number>;
  /** Swaps `uid` into place as the stories index, then drops the old one. */
  swapIntoStories(uid: string): Promise<void>;
}

function storyIndexMethods(client: Meilisearch, indexPrefix: string): StoryEngine {
  const STORIES_INDEX = `${indexPrefix}${STORIES_INDEX_NAME}`;
  const stories = (uid = STORIES_INDEX): Index<StorySearchDocument> => client.index<StorySearchDocument>(uid);
  const succeeded = (what: string, task: { status: string; error?: { message?: string } | null }) => {
    if (task.status !== 'succeeded') throw new Error(`${what} task ${task.status}: ${task.error?.message ?? ''}`);
  };
  // Creating an index that exists fails as a task (index_already_exists), which is what "ensure" wants.
  const ensure = async (uid: string) => { await settle(client, client.createIndex(uid, { primaryKey: 'id' })); };
  return {
    async prepareStoriesIndex(uid = STORIES_INDEX) {
      await guard('prepare stories index', async () => {
        await ensure(uid);
        succeeded('settings', await settle(client, stories(uid).updateSettings(STORIES_INDEX_SETTINGS)));
      });
    },
    async addStories(docs, uid = STORIES_INDEX) {
      if (docs.length === 0) return;
      await guard('add stories', async () => {
        succeeded('indexing', await settle(client, stories(uid).addDocuments(docs, { primaryKey: 'id' })));
      });
    },
    async deleteStories(ids) {
      if (ids.length === 0) return;
      await guard('delete stories', async () => {
        succeeded('deletion', await settle(client, stories().deleteDocuments(ids)));
      });
    },
    async searchStories(query) {
      return guard('search stories', async () => {
        const res = await stories().search(query.q, {
          filter: query.filter, limit: query.limit, attributesToRetrieve: ['id'], locales: ['cmn'], matchingStrategy: 'all',
        });
        return res.hits.map((h) => h.id);
      });
    },
    async countStories() {
      return guard('stories stats', async () => (await stories().getStats()).numberOfDocuments);
    },
    async swapIntoStories(uid) {
      await guard('swap stories', async () => {
        await ensure(STORIES_INDEX);
        succeeded('swap', await settle(client, client.swapIndexes([{ indexes: [STORIES_INDEX, uid], rename: false }])));
        await settle(client, client.deleteIndex(uid));
      });
    },
  };
}
