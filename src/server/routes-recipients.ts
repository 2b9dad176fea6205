// Asking for a code to open a restricted secret (docs/protocol.md §12). Thin: the store decides
// whether the address is listed (against keyed hashes). To anyone else the answer does not say;
// to a reader signed in as that address (their provider verified it) it gives the code itself,
// or says that this address is not one the secret is for.
import type { FastifyInstance } from 'fastify';
import type { CodeRequest, CodeResponse } from '../protocol/api.js';
import { CODE_TTL_SECONDS, MAX_CODES_PER_SECRET } from '../protocol/recipients.js';
import { HttpError, notFound } from './errors.js';
import type { Guards } from './guards.js';
import type { Recipients } from './recipients.js';
import type { ApiDeps } from './routes-secrets.js';
import { codeBody, idParams } from './schemas.js';
import { decodeField, sha256 } from './wire.js';

export function registerCodes(app: FastifyInstance, { config, store, now }: ApiDeps, recipients: Recipients, { readLimits, miss, signedInAs }: Guards): void {
  const host = config.publicUrl === null ? null : new URL(config.publicUrl).host;
  app.post<{ Params: { id: string }; Body: CodeRequest }>(
    '/api/v1/secrets/:id/code',
    { schema: { params: idParams, body: codeBody }, onRequest: readLimits },
    async (request, reply) => {
      const { id } = request.params;
      const { email } = request.body;
      const verifier = sha256(decodeField(request.body.auth, 'auth'));
      // Signed in (session cookie, from a page of this server) as the address asked for.
      const who = signedInAs(request);
      const own = who !== null && recipients.same(email, who);
      if (!own && !recipients.mails) {
        throw new HttpError('invalid_request', 'This server sends no codes by mail. Sign in as the address this secret was shared with, then ask for the code again.');
      }
      const { code, stored } = recipients.code(id, email, now());
      const result = await store.requestCode(id, verifier, stored, now());
      if (result === 'not_found') throw await miss(request, notFound());
      if (result === 'too_many') {
        throw new HttpError('rate_limited', `This secret has been sent the most codes it can be (${String(MAX_CODES_PER_SECRET)}). Ask the sender for a new link.`);
      }
      if (own) {
        if (result !== 'listed') throw new HttpError('not_recipient', `You are signed in as ${who}, and this secret was not shared with that address.`);
        request.log.info('code given to a signed-in recipient');
        const res: CodeResponse = { sent: false, code, expiresIn: CODE_TTL_SECONDS };
        return reply.code(200).send(res);
      }
      // Listed or not, the same answer, sent before any mail is: only a listed address gets one.
      if (result === 'listed') recipients.deliver(email.trim(), code, host);
      const res: CodeResponse = { sent: true, expiresIn: CODE_TTL_SECONDS };
      return reply.code(202).send(res);
    },
  );
}
