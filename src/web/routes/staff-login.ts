import express, { Router } from 'express';
import { endSession, startSession, currentUser } from '../auth.ts';
import { checkCsrf, checkLoginToken, issueLoginToken } from '../csrf.ts';
import type { StaffDeps } from './staff.ts';

/** Where to go after logging in: a local path only, never another site (`//evil.example`, `/\evil`). */
export function safeNext(value: unknown): string {
  if (typeof value !== 'string' || !value.startsWith('/') || value.startsWith('//') || value.includes('\\') || /[\u0000-\u001f]/.test(value)) {
    return '/staff';
  }
  return value.slice(0, 1000);
}

const formBody = express.urlencoded({ extended: false, limit: '16kb', parameterLimit: 10 });

/** Login page, login and logout. */
export function loginRouter({ archive, secret }: StaffDeps): Router {
  const router = Router();

  router.get('/login', (req, res) => {
    if (currentUser(res)) {
      res.redirect(303, safeNext(req.query.next));
      return;
    }
    res.render('staff/login', { title: res.locals.t('login'), loginToken: issueLoginToken(req, res, secret), next: safeNext(req.query.next), name: '', failed: false });
  });

  router.post('/login', formBody, async (req, res) => {
    checkLoginToken(req, secret);
    const body = req.body as Record<string, unknown>;
    const name = typeof body.name === 'string' ? body.name.trim() : '';
    const password = typeof body.password === 'string' ? body.password : '';
    const next = safeNext(body.next);
    const user = name && password ? await archive.catalogue.users.authenticate(name, password) : null;
    if (!user) {
      res.locals.credentialsRejected = true;
      archive.catalogue.audit.record(name.slice(0, 64) || '?', 'login-failed', 'login', req.ip ?? '');
      res.status(401).render('staff/login', {
        title: res.locals.t('login'), loginToken: issueLoginToken(req, res, secret), next, name, failed: true,
      });
      return;
    }
    startSession(req, res, archive, secret, user);
    archive.catalogue.audit.record(user.name, 'login', 'login', req.ip ?? '');
    res.redirect(303, next);
  });

  router.post('/logout', formBody, (req, res) => {
    if (currentUser(res)) {
      checkCsrf(req, res);
      archive.catalogue.audit.record(currentUser(res)!.name, 'logout');
    }
    endSession(req, res, archive, secret);
    res.redirect(303, '/');
  });

  return router;
}
