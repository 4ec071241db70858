import { createApiTokenRepository } from './api-tokens.ts';
import { createAuditLog } from './audit.ts';
import { createCollectionRepository } from './collections.ts';
import { createCorrectionRepository } from './corrections.ts';
import { openCatalogue, type Db } from './database.ts';
import { createDocumentRepository } from './documents.ts';
import { createJobOverview } from './job-overview.ts';
import { createJobRepository } from './jobs.ts';
import { createPageRepository } from './pages.ts';
import { createSessionRepository } from './sessions.ts';
import { createStoryRepository } from './stories.ts';
import { createUserRepository } from './users.ts';

/** All repositories over one SQLite handle. */
export function createCatalogue(dataDir: string) {
  const db: Db = openCatalogue(dataDir);
  return {
    db,
    collections: createCollectionRepository(db),
    documents: createDocumentRepository(db),
    pages: createPageRepository(db),
    jobs: createJobRepository(db),
    audit: createAuditLog(db),
    users: createUserRepository(db),
    sessions: createSessionRepository(db),
    apiTokens: createApiTokenRepository(db),
    corrections: createCorrectionRepository(db),
    jobOverview: createJobOverview(db),
    stories: createStoryRepository(db),
    close(): void {
      db.close();
    },
  };
}
export type Catalogue = ReturnType<typeof createCatalogue>;
