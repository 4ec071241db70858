import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import path from 'node:path';
import type { Request, RequestHandler, Response } from 'express';
import { rateLimit } from 'express-rate-limit';
import type { Archive } from '../archive.ts';
import { roleAllows, type Role, type StaffUser } from '../catalogue/users.ts';
import { HttpError } from './errors.ts';
import { readOrCreateSecret } from '../storage/secret-file.ts';

/**
 * Who is asking: a staff session (browser, signed cookie), HTTP Basic or a personal API token (scripts,
 * `/api` only). Sets `res.locals.user` (null for the public), which `isStaff` reads.
 */
export type AuthMethod = 'session' | 'basic' | 'token';

export interface AuthState {
  method: AuthMethod;
  /** The session's CSRF token (session logins only; Basic and Bearer calls need none). */
  csrfToken: string | null;
}

export const SESSION_COOKIE = 'wenshi_session';

/** The key that signs session cookies: generated once per data directory, readable by the owner only. */
export function loadSessionSecret(dataDir: string): Buffer {
  const hex = readOrCreateSecret(path.join(dataDir, 'session-secret'), () => randomBytes(32).toString('hex'));
  return Buffer.from(hex, 'hex');
}

export function hmac(secret: Buffer, value: string): string {
  return createHmac('sha256', secret).update(value).digest('base64url');
}

/** Constant-time equality of two strings of any length. */
export function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export function signCookieValue(value: string, secret: Buffer): string {
  return `${value}.${hmac(secret, value)}`;
}

export function unsignCookieValue(signed: string, secret: Buffer): string | null {
  const dot = signed.lastIndexOf('.');
  if (dot <= 0) return null;
  const value = signed.slice(0, dot);
  return sameSecret(signed.slice(dot + 1), hmac(secret, value)) ? value : null;
}

export function readCookie(req: Request, name: string): string | null {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) {
      try {
        return decodeURIComponent(part.slice(eq + 1).trim());
      } catch {
        return null;
      }
    }
  }
  return null;
}

export function cookieOptions(req: Request, maxAgeMs: number) {
  return { httpOnly: true, sameSite: 'lax' as const, secure: req.secure, path: '/', maxAge: maxAgeMs };
}

/** `user:password` from a Basic header (UTF-8), or null when malformed. */
function basicCredentials(header: string): { name: string; password: string } | null {
  const decoded = Buffer.from(header.slice(6).trim(), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon > 0 ? { name: decoded.slice(0, colon), password: decoded.slice(colon + 1) } : null;
}

const isApi = (req: Request) => req.path.startsWith('/api/');

function refuseCredentials(res: Response): HttpError {
  res.locals.credentialsRejected = true;
  // A Bearer challenge, never a Basic one: browsers would prompt, cache the password and replay it on
  // cross-site form posts, which would make the CSRF-free API forgeable.
  res.setHeader('WWW-Authenticate', 'Bearer realm="wenshi"');
  return new HttpError(401, 'unauthorized', '用户名、密码或令牌无效 (invalid credentials)');
}

/** What staff see (unpublished documents, CSRF tokens) must never be kept by a shared cache and served to others. */
const STAFF_CACHE_CONTROL = 'private, no-store';

export function authentication(archive: Archive, secret: Buffer): RequestHandler {
  const { users, apiTokens, sessions } = archive.catalogue;
  return async (req, res, next) => {
    res.locals.user = null;
    res.locals.auth = null;
    res.locals.csrfToken = null;
    const header = req.headers.authorization;
    // Header credentials count on the API only; pages use the session cookie (see refuseCredentials).
    if (header && isApi(req)) {
      let user: StaffUser | null = null;
      let method: AuthMethod;
      if (/^basic /i.test(header)) {
        method = 'basic';
        const credentials = basicCredentials(header);
        user = credentials ? await users.authenticate(credentials.name, credentials.password) : null;
        if (!user) archive.catalogue.audit.record(credentials?.name.slice(0, 64) || '?', 'login-failed', 'api', req.ip ?? '');
      } else if (/^bearer /i.test(header)) {
        method = 'token';
        user = apiTokens.authenticate(header.slice(7).trim());
      } else {
        return next(refuseCredentials(res));
      }
      if (!user) return next(refuseCredentials(res));
      res.locals.user = user;
      res.locals.auth = { method, csrfToken: null } satisfies AuthState;
      res.setHeader('Cache-Control', STAFF_CACHE_CONTROL);
      return next();
    }
    const signed = readCookie(req, SESSION_COOKIE);
    const id = signed ? unsignCookieValue(signed, secret) : null;
    const session = id ? sessions.find(id) : null;
    if (session) {
      res.locals.user = session.user;
      res.locals.auth = { method: 'session', csrfToken: session.csrfToken } satisfies AuthState;
      res.locals.csrfToken = session.csrfToken;
      res.setHeader('Cache-Control', STAFF_CACHE_CONTROL);
    } else if (signed) {
      res.clearCookie(SESSION_COOKIE, { path: '/' });
    }
    next();
  };
}

export function currentUser(res: Response): StaffUser | null {
  return (res.locals.user as StaffUser | null | undefined) ?? null;
}

/** Refuses the public: the API answers 401 JSON, pages send the browser to the login page. */
export function requireStaff(kind: 'page' | 'api'): RequestHandler {
  return (req, res, next) => {
    if (currentUser(res)) return next();
    if (kind === 'api') {
      res.setHeader('WWW-Authenticate', 'Bearer realm="wenshi"');
      return next(new HttpError(401, 'unauthorized', '需要登录 (authentication required)'));
    }
    const back = req.method === 'GET' ? `?next=${encodeURIComponent(req.originalUrl)}` : '';
    res.redirect(303, `/login${back}`);
  };
}

export function requireRole(role: Role): RequestHandler {
  return (_req, res, next) => {
    const user = currentUser(res);
    if (user && roleAllows(user.role, role)) return next();
    next(new HttpError(403, 'forbidden', '没有权限 (this needs the admin role)'));
  };
}

/** Starts a fresh session (a new id at every login, so a planted cookie is worthless) and sets its cookie. */
export function startSession(req: Request, res: Response, archive: Archive, secret: Buffer, user: StaffUser): void {
  const { id } = archive.catalogue.sessions.create(user.id);
  archive.catalogue.sessions.purgeExpired();
  // A browser-session cookie (no max-age): closing the browser on a shared reading-room computer ends it.
  res.cookie(SESSION_COOKIE, signCookieValue(id, secret), { httpOnly: true, sameSite: 'lax', secure: req.secure, path: '/' });
}

export function endSession(req: Request, res: Response, archive: Archive, secret: Buffer): void {
  const signed = readCookie(req, SESSION_COOKIE);
  const id = signed ? unsignCookieValue(signed, secret) : null;
  if (id) archive.catalogue.sessions.destroy(id);
  res.clearCookie(SESSION_COOKIE, { path: '/' });
}

/** Attempts per client address in the window before logins are refused with 429. */
export const LOGIN_ATTEMPTS = 10;
const LOGIN_WINDOW_MS = 15 * 60_000;

/**
 * Rate limit on password guessing: failed logins on the form and failed Basic/Bearer calls share one
 * budget per client address; successful ones are not counted.
 */
export function loginRateLimit(): RequestHandler {
  return rateLimit({
    windowMs: LOGIN_WINDOW_MS,
    limit: LOGIN_ATTEMPTS,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    skip: (req) => !((req.method === 'POST' && req.path === '/login') || (isApi(req) && !!req.headers.authorization)),
    skipSuccessfulRequests: true,
    requestWasSuccessful: (_req, res) => res.locals.credentialsRejected !== true,
    handler: (_req, _res, next) => next(new HttpError(429, 'too_many_attempts', '登录尝试过多，请十五分钟后再试 (too many attempts; try again later)')),
  });
}
