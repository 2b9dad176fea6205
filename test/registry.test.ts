// The registries a client relies on, checked against what the server really does and against the
// protocol document, in both directions: the routes the server registers, and the error codes with
// their statuses (ERROR_STATUS). A route added without docs, or a documented code the registry
// lost, fails here.
import { readFileSync } from 'node:fs';
import { RECEIPT_KEYS_PATH } from '../src/protocol/receipt.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERROR_STATUS } from '../src/protocol/api.js';
import { PAGES } from '../src/shared/pages.js';
import { registeredRoutes, startServer, type TestServer } from './helpers/server.js';

const protocolDoc = readFileSync(new URL('../docs/protocol.md', import.meta.url), 'utf8');



describe('routes: registered = documented', () => {
  let s: TestServer;
  beforeAll(async () => {
    // Every optional route on: the encrypt API, verified recipients, sign-in (its provider is asked nothing until a sign-in starts).
    s = await startServer({
      encryptApi: true, apiTokens: ['a'.repeat(64)], publicUrl: 'https://hush.example.com', smtpUrl: 'smtp://127.0.0.1:25', mailFrom: 'hush@hush.example.com',
      createPolicy: 'oidc', oidcIssuer: 'https://id.hush.example.com', oidcClientId: 'hush',
    });
  });
  afterAll(() => s.close());

  it('every API route the server registers is in docs/protocol.md, and every documented one is registered', () => {
    const routes = registeredRoutes(s.app.printRoutes({ commonPrefix: false }));
    const api = [...routes].filter((r) => r.includes(' /api/')).sort();
    // The docs write routes as `METHOD /api/v1/…` with `{id}` for the parameter.
    const documented = [...new Set([...protocolDoc.matchAll(/`(GET|POST|DELETE) (\/api\/v1\/[a-z0-9/{}.]+)/g)].map((m) => `${m[1]!} ${m[2]!.replace('{id}', ':id')}`))].sort();
    expect(api.length).toBeGreaterThanOrEqual(14);
    expect(api).toEqual(documented);
  });

  it('every page route comes from the one page map, and nothing else is served at the top level', () => {
    const routes = registeredRoutes(s.app.printRoutes({ commonPrefix: false }));
    const pages = [...routes].filter((r) => r.startsWith('GET ') && !r.includes('/api/')).map((r) => r.slice(4));
    // Plus the receipts' public keys (docs/protocol.md §10), served with the evidence layer on (the default), and sign-in's two (§13).
    const expected = [...Object.keys(PAGES).map((p) => p.replace('{id}', ':id')), '/assets/*', '/favicon.svg', '/robots.txt', RECEIPT_KEYS_PATH, '/auth/login', '/auth/callback'];
    // printRoutes shows the wildcard route /assets/* as a bare `*`; hasRoute names it exactly.
    for (const url of expected) expect(s.app.hasRoute({ method: 'GET', url }), url).toBe(true);
    expect(pages.length).toBe(expected.length);
  });
});

describe('error codes: ERROR_STATUS = docs/protocol.md §6', () => {
  /** `code → status` from the table of §6 (`500/503` read as the registry's 503). */
  const table = new Map(
    [...protocolDoc.matchAll(/^\| `([a-z_]+)` \| (\d{3})(?:\/(\d{3}))? \|/gm)].map((m) => [m[1]!, Number(m[3] ?? m[2])]),
  );

  it('the documented table and the registry hold the same codes with the same statuses', () => {
    expect(table.size).toBeGreaterThanOrEqual(11);
    expect(Object.fromEntries(table)).toEqual({ ...ERROR_STATUS });
  });

  it('the docs call no code "reserved": every code in the registry is in use', () => {
    expect(protocolDoc).not.toMatch(/reserved for/);
    const sources = ['routes-secrets', 'routes-recipients', 'routes-requests', 'routes-encrypt', 'guards', 'session', 'human-check', 'limits', 'errors', 'app', 'body', 'wire']
      .map((f) => readFileSync(new URL(`../src/server/${f}.ts`, import.meta.url), 'utf8'))
      .join('\n');
    for (const code of Object.keys(ERROR_STATUS)) expect(sources, code).toMatch(new RegExp(`'${code}'`));
  });
});
