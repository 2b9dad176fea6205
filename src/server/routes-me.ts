// "My secrets" (docs/protocol.md §13): a signed-in person's list of the secrets they created —
// metadata and history only, never a link, a key or a manage token — and revoking one of them.
// Registered with HUSH_CREATE=oidc. The store files each secret under the creator's owner key
// (Sessions.ownerKey), so nobody is shown or can revoke another person's secrets.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { StatusResponse } from '../protocol/api.js';
import { HttpError, notFound } from './errors.js';
import type { Guards } from './guards.js';
import type { ApiDeps } from './routes-secrets.js';
import { statusFromHistory } from './routes-secrets.js';
import type { Sessions } from './session.js';
import { idParams } from './schemas.js';
import { iso } from './wire.js';
import type { OwnedSecret } from '../store/types.js';

/** Most secrets one list shows (newest first). */
export const MY_SECRETS_LIMIT = 100;

export type MySecret = StatusResponse & { id: string; createdAt: string };

export function registerMine(app: FastifyInstance, deps: ApiDeps, guards: Guards, sessions: Sessions): void {
  const { store, now, config, evidence, webhooks } = deps;

  /** The signed-in creator's owner key; 401 for anyone else. A cookie-authorised change also needs its CSRF value. */
  const ownerOf = (request: FastifyRequest, change: boolean): Uint8Array => {
    const creator = guards.creatorOf(request);
    if (creator.kind === 'session' && change) sessions.checkCsrf(request, creator.session);
    const owner = guards.ownerOf(request);
    if (owner === null) throw new HttpError('unauthorized', 'Sign in first: only the person who created a secret sees it here.');
    return owner;
  };

  const describe = async (o: OwnedSecret): Promise<MySecret> => {
    const restricted = o.restricted ? { restricted: true as const } : {};
    const history = config.audit ? await store.history(o.id, o.manageHash, now()) : null;
    if (history) return { id: o.id, ...statusFromHistory(history), createdAt: iso(o.createdAt), ...restricted };
    return { id: o.id, state: o.state, viewsLeft: o.viewsLeft, expiresAt: iso(o.expiresAt), createdAt: iso(o.createdAt), ...restricted };
  };

  app.get('/api/v1/me/secrets', { onRequest: guards.readLimits }, async (request) => {
    const owned = await store.owned(ownerOf(request, false), now(), { limit: MY_SECRETS_LIMIT });
    return { secrets: await Promise.all(owned.map(describe)) };
  });

  app.delete<{ Params: { id: string } }>('/api/v1/me/secrets/:id', { schema: { params: idParams }, onRequest: guards.readLimits }, async (request, reply) => {
    const [mine] = await store.owned(ownerOf(request, true), now(), { limit: 1, id: request.params.id });
    if (!mine) throw await guards.miss(request, notFound());
    const notify = webhooks.enabled;
    await store.revoke(mine.id, mine.manageHash, now(), evidence(request, 'api'), notify);
    if (mine.state === 'pending') {
      deps.metrics.revoked.inc();
      if (notify) webhooks.nudge();
    }
    return reply.code(204).send();
  });
}
