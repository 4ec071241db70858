import { randomBytes } from 'node:crypto';
import type { Request, RequestHandler, Response } from 'express';
import type { AuthState } from './auth.ts';
import { cookieOptions, hmac, readCookie, sameSecret } from './auth.ts';
import { HttpError } from './errors.ts';

/**
 * CSRF protection. Signed-in staff: the synchronizer token of their session, sent as the `_csrf`
 * form field or the `X-CSRF-Token` header. Calls authenticated by Basic or Bearer carry their own
 * credentials (a browser never adds them by itself), so they need none.
 */
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function csrfError(): HttpError {
  return new HttpError(403, 'csrf_failed', '表单已过期或来源无效，请返回重试 (invalid or missing CSRF token)');
}

function submittedToken(req: Request): string {
  const body = req.body as Record<string, unknown> | undefined;
  const fromBody = body && typeof body._csrf === 'string' ? body._csrf : '';
  const fromHeader = req.get('x-csrf-token') ?? '';
  return fromBody || fromHeader;
}

/** Throws 403 unless the request may change state; call after the body is parsed. */
export function checkCsrf(req: Request, res: Response): void {
  if (SAFE_METHODS.has(req.method)) return;
  const auth = res.locals.auth as AuthState | null;
  if (auth && auth.method !== 'session') return;
  const expected = auth?.csrfToken ?? '';
  const given = submittedToken(req);
  if (!expected || !given || !sameSecret(given, expected)) throw csrfError();
}

export const csrfProtection: RequestHandler = (req, res, next) => {
  checkCsrf(req, res);
  next();
};

/**
 * The login form comes before any session, so it gets a stateless double-submit token: a random
 * nonce in a short-lived cookie, and its HMAC in the form. A forged cross-site login cannot read the cookie.
 */
const LOGIN_COOKIE = 'wenshi_login';

export function issueLoginToken(req: Request, res: Response, secret: Buffer): string {
  let nonce = readCookie(req, LOGIN_COOKIE);
  if (!nonce || !/^[A-Za-z0-9_-]{22,64}$/.test(nonce)) {
    nonce = randomBytes(18).toString('base64url');
    res.cookie(LOGIN_COOKIE, nonce, cookieOptions(req, 3600_000));
  }
  return hmac(secret, `login:${nonce}`);
}

export function checkLoginToken(req: Request, secret: Buffer): void {
  const nonce = readCookie(req, LOGIN_COOKIE);
  const given = submittedToken(req);
  if (!nonce || !given || !sameSecret(given, hmac(secret, `login:${nonce}`))) throw csrfError();
}
