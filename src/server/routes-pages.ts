// Pages and assets. A GET or HEAD here never changes a secret: link previews, prefetch and
// crawlers see a page with a button and nothing more (docs/protocol.md §6, Pages). With the
// evidence layer on, a fetch of the reveal page adds an "opened" event to its history (§9), after
// the answer and whatever the outcome, so the page is the same, as fast, for every id.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { sendError, HttpError } from './errors.js';
import type { StaticFile } from './static.js';
import { NOT_FOUND_PAGE, PAGES } from '../shared/pages.js';
import { ID_PATTERN } from '../protocol/links.js';

export interface PageOptions {
  /** A CSP replacing the common one on the create page (`/`) only; null keeps the common one. */
  createPagePolicy: string | null;
  /** Called with each well-formed reveal-page request (GET or HEAD of /s/{id}); must not throw. */
  onReveal?: (request: FastifyRequest, id: string) => void;
}

export function registerPages(app: FastifyInstance, files: Map<string, StaticFile>, options: PageOptions): void {
  const page = (name: string): StaticFile => {
    const f = files.get(name);
    if (!f) throw new Error(`the build has no ${name}`);
    return f;
  };
  const send = (reply: FastifyReply, f: StaticFile, status = 200): FastifyReply => reply.code(status).type(f.type).send(f.body);
  const missing = page(NOT_FOUND_PAGE);
  // The id pattern is checked, but the page is the same for every id: nothing is looked up.
  // Stateless links (/l) and keys (/s, /m) live in the fragment, which never reaches the server.
  const ID = new RegExp(ID_PATTERN);
  for (const [url, html] of Object.entries(PAGES)) {
    const f = page(html);
    if (url.endsWith('/{id}')) {
      const onReveal = html === PAGES['/s/{id}'] ? options.onReveal : undefined;
      app.get<{ Params: { id: string } }>(url.replace('{id}', ':id'), (req, reply) => {
        if (!ID.test(req.params.id)) return send(reply, missing, 404);
        if (onReveal) reply.raw.once('finish', () => onReveal(req, req.params.id));
        return send(reply, f);
      });
    } else if (url === '/' && options.createPagePolicy !== null) {
      const policy = options.createPagePolicy;
      // A route's onSend runs after the app's, which set the common CSP.
      app.get(url, {
        onSend: (_req, reply, payload, done) => {
          reply.header('content-security-policy', policy);
          done(null, payload);
        },
      }, (_req, reply) => send(reply, f));
    } else {
      app.get(url, (_req, reply) => send(reply, f));
    }
  }
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
