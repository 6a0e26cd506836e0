// The owner's whole account: an export of their data and its deletion (password checked again).
import { Hono } from 'hono';
import { deleteCookie } from 'hono/cookie';
import { z } from 'zod';
import { account, NotFound, TooManyRequests, Unauthorized, users, type Limit } from '@keyflow/engine';
import { accountDeletedResponse, deleteAccountBody } from '../contract/auth.schema.ts';
import { verifyPassword } from '../auth/password.ts';
import { SESSION_COOKIE } from '../auth/authenticate.ts';
import { deactivateTriggers } from '../integrations/trigger-activations.ts';
import { route } from '../http/route.ts';
import type { AppEnv } from '../http/types.ts';
import { forgetWebhooks } from './webhooks.routes.ts';

const tag = 'account';

export function accountRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  // A stolen session must not guess the password at full speed to delete the account. The
  // counter is in services.limits (Redis in queue mode: shared by every server process).
  const passwordPerUser = (userId: string): Limit => ({ kind: 'backoff', name: 'delete-account-user', key: userId, free: 5, baseMs: 1000, maxMs: 15 * 60_000 });

  route(app, { method: 'get', path: '/api/account/export', tag, summary: 'Everything of the owner as JSON: workflows with versions, runs with steps, usage, settings; credentials and tokens masked', response: z.looseObject({ format: z.literal('keyflow-account-export') }) }, async (c, { user }) => {
    const data = await account.exportAccount(c.get('services').db, user.id);
    if (!data) throw new NotFound('account');
    c.header('Content-Disposition', `attachment; filename="keyflow-export-${data.exportedAt.slice(0, 10)}.json"`);
    return c.json(data);
  });

  route(app, { method: 'delete', path: '/api/account', tag, summary: 'Delete the account and everything it has, in one transaction (the password is checked again)', body: deleteAccountBody, response: accountDeletedResponse }, async (c, { body, user }) => {
    const services = c.get('services');
    const { db, engine, log, limits } = services;
    const limit = passwordPerUser(user.id);
    const wait = await limits.attempt([limit]);
    if (wait > 0) throw new TooManyRequests(`too many wrong passwords; try again in ${wait} s`, wait);
    const record = await users.findUser(db, user.id);
    if (!record || !(await verifyPassword(body.password, record.passwordHash))) throw new Unauthorized('password is wrong');
    await limits.forgive([limit]);
    // Outside the database first: schedules leave the queue, service-side webhooks (Trello) are
    // removed, running runs are told to stop. Their queued jobs find no run afterwards and are skipped.
    const wfs = await db.selectFrom('workflows').select(['id', 'active_version']).where('owner_id', '=', user.id).execute();
    for (const wf of wfs) {
      await engine.removeSchedules(user.id, wf.id);
      await deactivateTriggers(services, user.id, wf.id, wf.active_version).catch((err: unknown) => log.warn({ workflowId: wf.id, err: String(err) }, 'could not remove a service-side webhook while deleting an account'));
    }
    const active = await db.selectFrom('runs').select('id').where('owner_id', '=', user.id).where('status', 'in', ['queued', 'running', 'waiting']).execute();
    for (const r of active) engine.bus.publishCancel(r.id);
    const deleted = await account.deleteAccount(db, user.id);
    for (const wf of wfs) forgetWebhooks(wf.id);
    deleteCookie(c, SESSION_COOKIE, { path: '/' });
    log.info({ userId: user.id, deleted }, 'account deleted');
    return c.json({ deleted });
  });

  return app;
}
