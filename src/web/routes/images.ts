import fs from 'node:fs';
import { Router, type Request, type Response } from 'express';
import type { Archive } from '../../archive.ts';
import { notFound } from '../errors.ts';
import { visibleDocument } from '../visibility.ts';

/** Page images and thumbnails, under the same visibility rule as the pages themselves. */
export function imagesRouter(archive: Archive): Router {
  const router = Router();
  const send = (kind: 'page' | 'thumb') => (req: Request<{ id: string; n: string }>, res: Response) => {
    const doc = visibleDocument(archive, req.params.id, res);
    const n = Number(req.params.n);
    if (!Number.isInteger(n) || n < 1 || n > doc.pageCount || !archive.images.exists(doc.id, n, kind)) throw notFound('图像');
    res.type('image/webp');
    res.setHeader('Cache-Control', doc.published ? 'public, max-age=86400' : 'private, no-store');
    fs.createReadStream(archive.images.pathOf(doc.id, n, kind)).pipe(res);
  };
  router.get('/documents/:id/pages/:n/image', send('page'));
  router.get('/documents/:id/pages/:n/thumb', send('thumb'));
  return router;
}
