import type { Request, Response } from 'express';
import { isRole, UserError, type StaffUser } from '../../catalogue/users.ts';
import { currentUser, startSession } from '../auth.ts';
import { HttpError, notFound } from '../errors.ts';
import type { StaffDeps, StaffRoute } from './staff.ts';

const field = (req: Request, name: string): string => {
  const v = (req.body as Record<string, unknown>)[name];
  return typeof v === 'string' ? v : '';
};

/** Audit log, user management (admins) and the signed-in user's own account: password and API tokens. */
export function adminRoutes(deps: StaffDeps): StaffRoute[] {
  const { archive, secret } = deps;
  const { users, sessions, apiTokens, audit } = archive.catalogue;
  const me = (res: Response): StaffUser => currentUser(res)!;

  const renderUsers = (res: Response, status = 200, error: string | null = null) => {
    res.status(status).render('staff/users', { title: res.locals.t('users'), users: users.list(), error, me: me(res) });
  };
  const renderAccount = (res: Response, status = 200, extra: { error?: string; newToken?: string; notice?: string } = {}) => {
    res.setHeader('Cache-Control', 'no-store');
    res.status(status).render('staff/account', {
      title: res.locals.t('account'), tokens: apiTokens.listForUser(me(res).id), error: null, newToken: null, notice: null, ...extra,
    });
  };
  const userError = (error: unknown): string => {
    if (error instanceof UserError) return error.message;
    throw error;
  };

  return [
    {
      method: 'get', path: '/staff/audit', role: 'admin', body: 'none',
      handler: (_req, res) => res.render('staff/audit', { title: res.locals.t('audit'), entries: audit.recent(500) }),
    },
    { method: 'get', path: '/staff/users', role: 'admin', body: 'none', handler: (_req, res) => renderUsers(res) },
    {
      method: 'post', path: '/staff/users', role: 'admin', body: 'form',
      handler: async (req, res) => {
        const role = field(req, 'role');
        if (!isRole(role)) throw new HttpError(400, 'bad_request', 'role: admin | editor');
        try {
          const user = await users.create(field(req, 'name').trim(), role, field(req, 'password'));
          audit.record(me(res).name, 'user-create', user.name, user.role);
        } catch (error) {
          renderUsers(res, 400, userError(error));
          return;
        }
        res.redirect(303, '/staff/users');
      },
    },
    {
      method: 'post', path: '/staff/users/:id', role: 'admin', body: 'form',
      handler: async (req, res) => {
        const user = users.get(Number(req.params.id));
        if (!user) throw notFound('用户');
        const action = field(req, 'action');
        try {
          if (action === 'role' && isRole(field(req, 'role'))) {
            users.setRole(user.id, field(req, 'role') as StaffUser['role']);
          } else if (action === 'disable' || action === 'enable') {
            if (user.id === me(res).id) throw new UserError('last-admin', res.locals.t('cannotDisableSelf'));
            users.setDisabled(user.id, action === 'disable');
            if (action === 'disable') sessions.destroyForUser(user.id);
          } else if (action === 'password') {
            await users.setPassword(user.id, field(req, 'password'));
            sessions.destroyForUser(user.id);
          } else {
            throw new HttpError(400, 'bad_request', 'action: role | disable | enable | password');
          }
        } catch (error) {
          renderUsers(res, 400, userError(error));
          return;
        }
        audit.record(me(res).name, `user-${action}`, user.name, action === 'role' ? field(req, 'role') : '');
        res.redirect(303, '/staff/users');
      },
    },
    { method: 'get', path: '/staff/account', role: 'editor', body: 'none', handler: (_req, res) => renderAccount(res) },
    {
      method: 'post', path: '/staff/account/password', role: 'editor', body: 'form',
      handler: async (req, res) => {
        const user = me(res);
        if (!(await users.authenticate(user.name, field(req, 'current')))) {
          renderAccount(res, 400, { error: res.locals.t('wrongCurrentPassword') });
          return;
        }
        try {
          await users.setPassword(user.id, field(req, 'password'));
        } catch (error) {
          renderAccount(res, 400, { error: userError(error) });
          return;
        }
        // Every other browser signed in as this user is signed out; this one gets a fresh session.
        sessions.destroyForUser(user.id);
        startSession(req, res, archive, secret, user);
        audit.record(user.name, 'user-password', user.name);
        res.redirect(303, '/staff/account');
      },
    },
    {
      method: 'post', path: '/staff/account/tokens', role: 'editor', body: 'form',
      handler: (req, res) => {
        const { token, record } = apiTokens.create(me(res).id, field(req, 'label'));
        audit.record(me(res).name, 'token-create', record.id, record.label);
        renderAccount(res, 201, { newToken: token });
      },
    },
    {
      method: 'post', path: '/staff/account/tokens/:id/revoke', role: 'editor', body: 'form',
      handler: (req, res) => {
        if (!apiTokens.revoke(me(res).id, String(req.params.id))) throw notFound('令牌');
        audit.record(me(res).name, 'token-revoke', String(req.params.id));
        res.redirect(303, '/staff/account');
      },
    },
  ];
}
