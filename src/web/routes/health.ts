import { Router } from 'express';
import type { Archive } from '../../archive.ts';

/** `/healthz`: 200 when catalogue and search engine answer, else 503 naming the failing part. */
export function healthRouter(archive: Archive): Router {
  const router = Router();
  router.get('/healthz', async (_req, res) => {
    const failing: string[] = [];
    try {
      archive.catalogue.db.prepare('SELECT 1').get();
    } catch {
      failing.push('catalogue');
    }
    if (!(await archive.engine.healthy())) failing.push('meilisearch');
    if (failing.length === 0) {
      res.json({ status: 'ok' });
    } else {
      res.status(503).json({ status: 'unavailable', failing, error: { code: 'unhealthy', message: `unavailable: ${failing.join(', ')}` } });
    }
  });
  return router;
}
