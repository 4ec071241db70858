import path from 'node:path';
import express, { type Express } from 'express';
import type { Archive } from '../archive.ts';
import { errorHandler, notFound } from './errors.ts';
import { languageMiddleware } from './i18n.ts';
import { apiRouter } from './routes/api.ts';
import { healthRouter } from './routes/health.ts';
import { readingRouter } from './routes/pages.ts';

const ROOT = path.resolve(import.meta.dirname, '..', '..');

export interface AppOptions {
  log?: (error: unknown) => void;
}

/** The Express app over an opened archive; no module-level state, so tests build as many as they like. */
export function createApp(archive: Archive, options: AppOptions = {}): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('views', path.join(ROOT, 'views'));
  app.set('view engine', 'ejs');
  app.set('query parser', 'simple');

  app.use((_req, res, next) => {
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'strict-origin-when-cross-origin');
    res.setHeader('X-Frame-Options', 'SAMEORIGIN');
    res.setHeader('Content-Security-Policy', "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; object-src 'none'; base-uri 'self'; frame-ancestors 'self'");
    next();
  });
  app.use('/static', express.static(path.join(ROOT, 'src', 'web', 'static'), { maxAge: '1h' }));
  app.use(languageMiddleware);
  app.use((req, res, next) => {
    res.locals.user = null;
    res.locals.path = req.path;
    res.locals.canonical = null;
    next();
  });

  app.use(healthRouter(archive));
  app.use('/api', apiRouter(archive));
  app.use(readingRouter(archive));

  app.use((_req, _res, next) => next(notFound()));
  app.use(errorHandler(options.log ?? ((e) => console.error(e))));
  return app;
}
