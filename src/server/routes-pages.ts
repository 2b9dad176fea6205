// Pages and assets. A GET or HEAD here never touches the store: link previews, prefetch and
// crawlers see a page with a button and nothing more (PROTOCOL §6, Pages).
import type { FastifyInstance, FastifyReply } from 'fastify';
import { sendError, HttpError } from './errors.js';
import type { StaticFile } from './static.js';

export function registerPages(app: FastifyInstance, files: Map<string, StaticFile>): void {
  const page = (name: string): StaticFile => {
    const f = files.get(name);
    if (!f) throw new Error(`the build has no ${name}`);
    return f;
  };
  const send = (reply: FastifyReply, f: StaticFile, status = 200): FastifyReply => reply.code(status).type(f.type).send(f.body);
  const create = page('/index.html');
  const reveal = page('/reveal.html');
  const manage = page('/manage.html');
  const stateless = page('/stateless.html');
  const request = page('/request.html');
  const respond = page('/respond.html');
  const missing = page('/404.html');

  app.get('/', (_req, reply) => send(reply, create));
  // The id pattern is checked, but the page is the same for every id: nothing is looked up.
  const ID = /^[A-Za-z0-9_-]{22}$/;
  app.get<{ Params: { id: string } }>('/s/:id', (req, reply) => (ID.test(req.params.id) ? send(reply, reveal) : send(reply, missing, 404)));
  app.get<{ Params: { id: string } }>('/m/:id', (req, reply) => (ID.test(req.params.id) ? send(reply, manage) : send(reply, missing, 404)));
  // Stateless links carry everything in the fragment, which never reaches the server.
  app.get('/l', (_req, reply) => send(reply, stateless));
  // Asking for a secret: the requester's page, and the page a request link opens.
  app.get('/request', (_req, reply) => send(reply, request));
  app.get<{ Params: { id: string } }>('/r/:id', (req, reply) => (ID.test(req.params.id) ? send(reply, respond) : send(reply, missing, 404)));
  app.get<{ Params: { '*': string } }>('/assets/*', (request, reply) => {
    const f = files.get(`/assets/${request.params['*']}`);
    return f ? send(reply, f) : send(reply, missing, 404);
  });
  app.setNotFoundHandler((request, reply) => {
    if ((request.method === 'GET' || request.method === 'HEAD') && !request.url.startsWith('/api/')) return send(reply, missing, 404);
    return sendError(reply, new HttpError('not_found', 'There is nothing at this address.'));
  });
  for (const extra of ['/favicon.svg', '/robots.txt']) {
    const f = files.get(extra);
    if (f) app.get(extra, (_req, reply) => send(reply, f));
  }
}
