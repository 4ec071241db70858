import path from 'node:path';
import express, { type Express } from 'express';
import helmet from 'helmet';
import type { Archive } from '../archive.ts';
import { authentication, loadSessionSecret, loginRateLimit } from './auth.ts';
import { errorHandler, notFound } from './errors.ts';
import { languageMiddleware } from './i18n.ts';
import { apiRouter } from './routes/api.ts';
import { healthRouter } from './routes/health.ts';
import { readingRouter } from './routes/pages.ts';
import { imagesRouter } from './routes/images.ts';
import { readerRouter } from './routes/reader.ts';
import { iiifRouter } from './routes/iiif.ts';
import { staffRouter, type JobPoker } from './routes/staff.ts';
import { staffApiRouter } from './routes/staff-api.ts';
import { staffStoriesRouter } from './routes/staff-stories.ts';
import { storiesRouter } from './routes/stories.ts';
import { discoveryRouter } from './routes/discovery.ts';

const ROOT = path.resolve(import.meta.dirname, '..', '..');

export interface AppOptions {
  log?: (error: unknown) => void;
  /** The server's job worker, woken after uploads and retries (tests pass one to run jobs). */
  worker?: JobPoker | null;
}

/** The Express app over an opened archive; no module-level state, so tests build as many as they like. */
export function createApp(archive: Archive, options: AppOptions = {}): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('views', path.join(ROOT, 'views'));
  app.set('view engine', 'ejs');
  app.set('query parser', 'simple');

  app.use(helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"], imgSrc: ["'self'", 'data:'], styleSrc: ["'self'"], scriptSrc: ["'self'"], objectSrc: ["'none'"],
        baseUri: ["'self'"], frameAncestors: ["'self'"], formAction: ["'self'"],
      },
    },
    referrerPolicy: { policy: 'strict-origin-when-cross-origin' },
    // Page images and IIIF resources are meant to be shown by viewers on other sites.
    crossOriginResourcePolicy: false,
  }));
  app.use('/static', express.static(path.join(ROOT, 'src', 'web', 'static'), { maxAge: '1h' }));
  app.use(languageMiddleware);
  app.use((req, res, next) => {
    res.locals.user = null;
    res.locals.path = req.path;
    res.locals.canonical = null;
    next();
  });
  const secret = loadSessionSecret(archive.config.dataDir);
  const staff = { archive, secret, worker: options.worker ?? null };
  app.use(loginRateLimit());
  app.use(authentication(archive, secret));

  app.use(healthRouter(archive));
  app.use('/api', staffApiRouter(staff));
  app.use('/api', apiRouter(archive));
  app.use(staffRouter(staff));
  app.use(staffStoriesRouter(staff));
  app.use(storiesRouter(archive));
  app.use(discoveryRouter(archive));
  app.use(imagesRouter(archive));
  app.use(iiifRouter(archive));
  app.use(readerRouter(archive));
  app.use(readingRouter(archive));

  app.use((_req, _res, next) => next(notFound()));
  app.use(errorHandler(options.log ?? ((e) => console.error(e))));
  return app;
}
