import express, { Router, type RequestHandler } from 'express';
import type { Archive } from '../../archive.ts';
import type { Role } from '../../catalogue/users.ts';
import { requireRole, requireStaff } from '../auth.ts';
import { csrfProtection } from '../csrf.ts';
import { adminRoutes } from './staff-admin.ts';
import { correctionRoutes } from './staff-corrections.ts';
import { documentRoutes } from './staff-documents.ts';
import { loginRouter } from './staff-login.ts';
import { uploadRoutes } from './staff-uploads.ts';

/** Wakes the job worker after an upload or a retry (the server's worker; absent in a read-only app). */
export interface JobPoker { poke(): void }

export interface StaffDeps {
  archive: Archive;
  secret: Buffer;
  worker: JobPoker | null;
}

/**
 * One staff page route. `body` says how the request body is read: `form` (urlencoded, CSRF checked
 * before the handler), `multipart` (the handler checks CSRF once the upload is parsed), `none`.
 */
export interface StaffRoute {
  method: 'get' | 'post';
  path: string;
  role: Role;
  body: 'none' | 'form' | 'multipart';
  handler: RequestHandler;
}

/** Every staff page, in one table: the router is built from it and the access tests are generated from it. */
export function staffRouteTable(deps: StaffDeps): StaffRoute[] {
  return [
    ...documentRoutes(deps),
    ...uploadRoutes(deps),
    ...correctionRoutes(deps),
    ...adminRoutes(deps),
  ];
}

const formBody = express.urlencoded({ extended: false, limit: '2mb', parameterLimit: 100 });

/** Staff locals for every staff view: the navigation needs the role, forms need the CSRF token. */
const staffLocals: RequestHandler = (_req, res, next) => {
  res.locals.staffArea = true;
  next();
};

export function staffRouter(deps: StaffDeps): Router {
  const router = Router();
  router.use(loginRouter(deps));
  for (const route of staffRouteTable(deps)) {
    const chain: RequestHandler[] = [requireStaff('page'), requireRole(route.role), staffLocals];
    if (route.body === 'form') chain.push(formBody, csrfProtection);
    else if (route.body === 'none' && route.method !== 'get') chain.push(csrfProtection);
    router[route.method](route.path, ...chain, route.handler);
  }
  return router;
}
