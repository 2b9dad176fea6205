// The OpenAPI document (src/server/openapi.ts) against the server it describes, over real HTTP on
// real ports. It is OpenAPI 3.1 whose every $ref resolves; it names every API route the server
// registers; every error status each route can answer is listed with the codes the registry
// (ERROR_STATUS) gives it, and is provoked here on servers set up to answer it — and every status
// it lists was provoked, so it lists nothing the server cannot do; docs/openapi.json is what a
// server serves. Then a schema-driven fuzz: requests derived from the document's own schemas
// (valid, near-valid, invalid) never get a 5xx or a status the document does not list. Every
// answer in this file is checked against the schema the document gives for its status.
import { createECDH, createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERROR_STATUS, type ApiErrorCode } from '../src/protocol/api.js';
import { b64uEncode } from '../src/protocol/b64u.js';
import { VERSION } from '../src/package.js';
import { CookieSealer } from '../src/server/session.js';
import { registeredRoutes, startServer, type TestServer } from './helpers/server.js';

/** The parts of JSON Schema (2020-12, as OpenAPI 3.1 uses it) the document uses. */
interface Schema {
  $ref?: string;
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  pattern?: string;
  format?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  properties?: Record<string, Schema>;
  required?: string[];
  additionalProperties?: boolean;
  allOf?: Schema[];
  anyOf?: Schema[];
  oneOf?: Schema[];
}
interface Parameter {
  in: string;
  name: string;
  required: boolean;
  schema: Schema;
}
interface Operation {
  operationId: string;
  parameters?: Parameter[];
  requestBody?: { required: boolean; content: Record<string, { schema: Schema } | undefined> };
  security?: Record<string, string[]>[];
  responses: Record<string, { description: string; content?: Record<string, { schema: Schema } | undefined> } | undefined>;
}
interface Doc {
  openapi: string;
  info: { title: string; version: string };
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Schema>; securitySchemes: Record<string, { type: string; scheme: string }> };
}

/** Fixed, so a failure replays; HUSH_FUZZ_SEED=… runs another. */
const SEED = Number(process.env.HUSH_FUZZ_SEED ?? 20_260_401);
/** Fuzzed requests per operation (15 operations). */
const RUNS = 24;

const TOKEN = 'openapi-test-api-token';
const sha256 = (data: Uint8Array | string): Buffer => createHash('sha256').update(data).digest();
/** The optional routes on (the encrypt API), as in docs/openapi.json. */
const ALL_ROUTES = { encryptApi: true, apiTokens: [sha256(TOKEN).toString('hex')], publicUrl: 'https://hush.example', smtpUrl: 'smtp://127.0.0.1:25', mailFrom: 'hush@hush.example' };
const LOCK = `lock-${randomBytes(16).toString('hex')}`;

const OP = {
  doc: 'GET /api/v1/openapi.json',
  info: 'GET /api/v1/info',
  challenge: 'GET /api/v1/challenge',
  create: 'POST /api/v1/secrets',
  peek: 'POST /api/v1/secrets/{id}/peek',
  consume: 'POST /api/v1/secrets/{id}/consume',
  code: 'POST /api/v1/secrets/{id}/code',
  status: 'GET /api/v1/secrets/{id}/status',
  receipt: 'GET /api/v1/secrets/{id}/receipt',
  revoke: 'DELETE /api/v1/secrets/{id}',
  encrypt: 'POST /api/v1/encrypt',
  ask: 'POST /api/v1/requests',
  view: 'GET /api/v1/requests/{id}',
  respond: 'POST /api/v1/requests/{id}/response',
  askStatus: 'GET /api/v1/requests/{id}/status',
  pickup: 'POST /api/v1/requests/{id}/pickup',
  cancel: 'DELETE /api/v1/requests/{id}',
} as const;
type Op = (typeof OP)[keyof typeof OP];

// HTTP

interface Sent {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string;
}
interface Got {
  status: number;
  type: string;
  text: string;
  json: unknown;
}

const b64u = (bytes: number): string => b64uEncode(randomBytes(bytes));
const bearer = (token: string): Record<string, string> => ({ authorization: `Bearer ${token}` });
/** `op` with `{id}` filled in. */
const pathOf = (op: Op, id = b64u(16)): [string, string] => {
  const [method, path] = op.split(' ') as [string, string];
  return [method, path.replace('{id}', id)];
};
function json(op: Op, value: unknown, options: { id?: string; headers?: Record<string, string> } = {}): Sent {
  const [method, path] = pathOf(op, options.id);
  return { method, path, headers: { 'content-type': 'application/json', ...options.headers }, body: JSON.stringify(value) };
}
function bare(op: Op, options: { id?: string; headers?: Record<string, string> } = {}): Sent {
  const [method, path] = pathOf(op, options.id);
  return { method, path, headers: options.headers ?? {} };
}

async function send(base: string, r: Sent): Promise<Got> {
  const res = await fetch(base + r.path, {
    method: r.method,
    headers: r.headers,
    // Bytes, so that fetch adds no content type of its own.
    ...(r.body === undefined ? {} : { body: Buffer.from(r.body) }),
  });
  const text = await res.text();
  let parsed: unknown = undefined;
  try {
    parsed = JSON.parse(text);
  } catch {
    // not JSON
  }
  return { status: res.status, type: res.headers.get('content-type') ?? '', text, json: parsed };
}

const show = (r: Sent): string => `${r.method} ${r.path} ${JSON.stringify(r.headers)} ${r.body === undefined ? '(no body)' : JSON.stringify(r.body.slice(0, 200))}`;

// The document

let s: TestServer;
let doc: Doc;

const resolveRef = (ref: string): Schema =>
  ref
    .slice(2)
    .split('/')
    .reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key.replace(/~1/g, '/').replace(/~0/g, '~')], doc) as Schema;
const deref = (schema: Schema): Schema => (schema.$ref === undefined ? schema : deref(resolveRef(schema.$ref)));

function operation(op: string): Operation {
  const [method, path] = op.split(' ') as [string, string];
  const found = doc.paths[path]?.[method.toLowerCase()];
  if (found === undefined) throw new Error(`the document has no ${op}`);
  return found;
}

const typeOk = (type: string, v: unknown): boolean =>
  type === 'null' ? v === null
  : type === 'integer' ? Number.isInteger(v)
  : type === 'array' ? Array.isArray(v)
  : type === 'object' ? typeof v === 'object' && v !== null && !Array.isArray(v)
  : typeof v === type;

const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i;

/** What is wrong with `v` under `schema` (empty when nothing): a small validator for the keywords of `Schema`. */
function validate(schema: Schema, v: unknown, at = '$'): string[] {
  if (schema.$ref !== undefined) return validate(resolveRef(schema.$ref), v, at);
  const errors: string[] = [];
  for (const member of schema.allOf ?? []) errors.push(...validate(member, v, at));
  if (schema.anyOf && !schema.anyOf.some((m) => validate(m, v, at).length === 0)) errors.push(`${at} matches none of anyOf`);
  if (schema.oneOf && schema.oneOf.filter((m) => validate(m, v, at).length === 0).length !== 1) errors.push(`${at} matches not exactly one of oneOf`);
  if (schema.enum && !schema.enum.includes(v)) errors.push(`${at} = ${JSON.stringify(v)} is not one of ${JSON.stringify(schema.enum)}`);
  if ('const' in schema && schema.const !== v) errors.push(`${at} is not ${JSON.stringify(schema.const)}`);
  if (schema.type !== undefined && ![schema.type].flat().some((t) => typeOk(t, v))) return [...errors, `${at} is not of type ${String(schema.type)}`];
  if (typeof v === 'string') {
    const length = Array.from(v).length; // code points, as JSON Schema counts
    if (schema.minLength !== undefined && length < schema.minLength) errors.push(`${at} is shorter than ${String(schema.minLength)}`);
    if (schema.maxLength !== undefined && length > schema.maxLength) errors.push(`${at} is longer than ${String(schema.maxLength)}`);
    if (schema.pattern !== undefined && !new RegExp(schema.pattern, 'u').test(v)) errors.push(`${at} does not match ${schema.pattern}`);
    if (schema.format === 'date-time' && (!DATE_TIME.test(v) || Number.isNaN(Date.parse(v)))) errors.push(`${at} is not a date-time`);
  }
  if (typeof v === 'number') {
    if (schema.minimum !== undefined && v < schema.minimum) errors.push(`${at} is below ${String(schema.minimum)}`);
    if (schema.maximum !== undefined && v > schema.maximum) errors.push(`${at} is above ${String(schema.maximum)}`);
  }
  if (typeOk('object', v)) {
    const o = v as Record<string, unknown>;
    for (const k of schema.required ?? []) if (!Object.hasOwn(o, k)) errors.push(`${at}.${k} is missing`);
    for (const [k, value] of Object.entries(o)) {
      const member = schema.properties?.[k];
      if (member !== undefined) errors.push(...validate(member, value, `${at}.${k}`));
      else if (schema.additionalProperties === false) errors.push(`${at}.${k} is not allowed`);
    }
  }
  return errors;
}

/** What is wrong with an answer to `op`: a status the document does not list, or a body its schema refuses. */
function answerProblems(op: string, got: Got): string[] {
  const response = operation(op).responses[String(got.status)];
  if (response === undefined) return [`status ${String(got.status)} is not listed for ${op}`];
  const media = response.content?.['application/json'];
  if (media === undefined) return got.text === '' ? [] : ['a body where the document lists none'];
  if (!got.type.startsWith('application/json')) return [`content type ${got.type}`];
  return validate(media.schema, got.json);
}

/** The codes a response lists, from its own schema (the shared Error schema lists them all). */
function codesOf(schema: Schema | undefined): string[] {
  if (schema === undefined) return [];
  const here = schema.properties?.error?.properties?.code?.enum ?? [];
  return [...(here as string[]), ...[...(schema.allOf ?? []), ...(schema.anyOf ?? [])].flatMap(codesOf)];
}

const registered = (tree: string): string[] => [...registeredRoutes(tree)];

function walk(node: unknown, visit: (o: Record<string, unknown>) => void): void {
  if (Array.isArray(node)) for (const x of node) walk(x, visit);
  else if (typeof node === 'object' && node !== null) {
    visit(node as Record<string, unknown>);
    for (const x of Object.values(node)) walk(x, visit);
  }
}

beforeAll(async () => {
  s = await startServer(ALL_ROUTES);
  const got = await send(s.url, bare(OP.doc));
  expect(got.status).toBe(200);
  doc = got.json as Doc;
  expect(answerProblems(OP.doc, got)).toEqual([]);
});
afterAll(() => s.close());

describe('the document', () => {
  it('is OpenAPI 3.1: info, operations with responses, declared path parameters and security schemes, every $ref resolving', () => {
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.info).toMatchObject({ title: 'Hush', version: VERSION });
    const ids = new Set<string>();
    for (const [path, item] of Object.entries(doc.paths)) {
      expect(path).toMatch(/^\/api\/v1\/[a-z0-9/{}.]+$/);
      for (const [method, op] of Object.entries(item)) {
        expect(['get', 'post', 'delete']).toContain(method);
        expect(ids.has(op.operationId), op.operationId).toBe(false);
        ids.add(op.operationId);
        const inPath = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
        const declared = (op.parameters ?? []).filter((p) => p.in === 'path');
        expect(declared.map((p) => p.name)).toEqual(inPath);
        for (const p of declared) expect(p.required).toBe(true);
        for (const [status, response] of Object.entries(op.responses)) {
          expect(status).toMatch(/^[1-5]\d\d$/);
          expect(response?.description).toMatch(/\S/);
        }
        for (const requirement of op.security ?? []) for (const name of Object.keys(requirement)) expect(doc.components.securitySchemes).toHaveProperty(name);
      }
    }
    let refs = 0;
    walk(doc, (o) => {
      expect(o).not.toHaveProperty('nullable'); // OpenAPI 3.0's, not 3.1's
      if (typeof o.$ref !== 'string') return;
      refs++;
      expect(o.$ref).toMatch(/^#\//);
      expect(typeof resolveRef(o.$ref), o.$ref).toBe('object');
    });
    expect(refs).toBeGreaterThan(0);
  });

  it('does not depend on the machine or the run: no address, port or temporary path', () => {
    const text = JSON.stringify(doc);
    for (const local of [s.url, s.url.replace('http://', ''), s.dir, tmpdir()]) expect(text).not.toContain(local);
    expect(text).not.toMatch(/\b20\d\d-\d\d-\d\dT/);
  });

  it('docs/openapi.json is exactly what the server serves', () => {
    const committed = readFileSync(new URL('../docs/openapi.json', import.meta.url), 'utf8');
    expect(committed, 'docs/openapi.json is stale: npm run build writes it').toBe(`${JSON.stringify(doc, null, 2)}\n`);
  });

  it('names every API route the server registers, with its method, and nothing else (no page, no asset)', () => {
    const routes = registered(s.app.printRoutes({ commonPrefix: false })).filter((r) => r.includes(' /api/')).sort();
    const documented = Object.entries(doc.paths)
      .flatMap(([path, item]) => Object.keys(item).map((m) => `${m.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`))
      .sort();
    expect(routes.length).toBeGreaterThanOrEqual(15);
    expect(documented).toEqual(routes);
    expect(Object.values(OP).sort()).toEqual(documented.map((r) => r.replace(/:(\w+)/g, '{$1}')).sort());
  });

  it('lists on each route one success and every error status with its codes from ERROR_STATUS, plus what every route can send', () => {
    for (const op of Object.values(OP)) {
      const { responses } = operation(op);
      const statuses = Object.keys(responses).map(Number);
      // One success each, but asking for a code: 202 (mailed, or not listed) and 200 (the code, to a signed-in reader; §12).
      expect(statuses.filter((x) => x < 300), op).toHaveLength(op === OP.code ? 2 : 1);
      for (const status of statuses.filter((x) => x >= 400)) {
        const response = responses[String(status)];
        const codes = codesOf(response?.content?.['application/json']?.schema);
        if (status !== 503) expect(codes.length, `${op} ${String(status)}`).toBeGreaterThan(0);
        for (const code of codes) {
          expect(Object.keys(ERROR_STATUS), code).toContain(code);
          // The two exceptions: the origin lock answers unauthorized with 403, an unexpected failure unavailable with 500.
          const exception = (code === 'unauthorized' && status === 403) || (code === 'unavailable' && status === 500);
          if (!exception) expect(ERROR_STATUS[code as ApiErrorCode], `${op}: ${code} under ${String(status)}`).toBe(status);
        }
      }
      expect(codesOf(responses['403']?.content?.['application/json']?.schema), op).toContain('unauthorized');
      expect(codesOf(responses['500']?.content?.['application/json']?.schema), op).toEqual(['unavailable']);
      expect(responses['503']?.description, op).toMatch(/shutting down/);
    }
  });
});

// Every status, provoked

/** op → statuses answered while provoking them. */
const provoked = new Map<string, Set<number>>();

/** Sends `r` as `op` to `server`; the answer must have this status (and code) and fit the document. */
async function expectAnswer(server: TestServer, op: Op, r: Sent, status: number, code?: ApiErrorCode): Promise<Got> {
  const got = await send(server.url, r);
  expect(got.status, `${show(r)} → ${got.text.slice(0, 300)}`).toBe(status);
  if (code !== undefined) expect((got.json as { error?: { code?: string } } | undefined)?.error?.code, show(r)).toBe(code);
  expect(answerProblems(op, got), show(r)).toEqual([]);
  provoked.set(op, (provoked.get(op) ?? new Set()).add(got.status));
  return got;
}

interface Pool {
  secret: { id: string; auth: string; manageToken: string }[];
  /** A secret restricted to recipients (docs/protocol.md §12). */
  gated?: { id: string; auth: string };
  request: { id: string; token: string; answered: boolean }[];
}
const publicKey = (): string => b64uEncode(createECDH('prime256v1').generateKeys());
/** A response as the server checks it: 0x04 and at least 92 more bytes. */
const response = (): string => b64uEncode(Buffer.concat([Buffer.from([4]), randomBytes(100)]));
function secretBody(over: Record<string, unknown> = {}): { auth: string; body: Record<string, unknown> } {
  const auth = randomBytes(32);
  return { auth: b64uEncode(auth), body: { ciphertext: b64u(40), verifier: b64uEncode(sha256(auth)), views: 50, ...over } };
}

/** Two secrets and two requests (the first answered) on `server`, made through the API. */
async function makePool(server: TestServer, headers: Record<string, string> = {}): Promise<Pool> {
  const pool: Pool = { secret: [], request: [] };
  for (let i = 0; i < 2; i++) {
    const { auth, body } = secretBody();
    const made = (await expectAnswer(server, OP.create, json(OP.create, body, { headers }), 201)).json as { id: string; manageToken: string };
    pool.secret.push({ id: made.id, auth, manageToken: made.manageToken });
    const asked = (await expectAnswer(server, OP.ask, json(OP.ask, { publicKey: publicKey(), note: 'the key, please' }, { headers }), 201)).json as { id: string; token: string };
    if (i === 0) await expectAnswer(server, OP.respond, json(OP.respond, { ciphertext: response() }, { id: asked.id, headers }), 201);
    pool.request.push({ ...asked, answered: i === 0 });
  }
  const { auth, body } = secretBody({ recipients: ['@hush.example'] });
  const gated = (await expectAnswer(server, OP.create, json(OP.create, body, { headers }), 201)).json as { id: string };
  pool.gated = { id: gated.id, auth };
  return pool;
}

/** A request of `op` that works on a server with the default settings, given a fresh pool. */
function working(op: Op, pool: Pool, headers: Record<string, string> = {}): Sent {
  const [secret] = pool.secret;
  const answered = pool.request.find((r) => r.answered)!;
  const open = pool.request.find((r) => !r.answered)!;
  const h = (more: Record<string, string>): { headers: Record<string, string> } => ({ headers: { ...headers, ...more } });
  switch (op) {
    case OP.doc:
    case OP.info:
    case OP.challenge:
      return bare(op, h({}));
    case OP.create:
      return json(op, secretBody().body, h({}));
    case OP.peek:
    case OP.consume:
      return json(op, { auth: secret!.auth }, { id: secret!.id, ...h({}) });
    case OP.code:
      // An address that is not listed: the same 202, and no mail.
      return json(op, { auth: pool.gated?.auth ?? b64u(32), email: 'someone@elsewhere.example' }, { id: pool.gated?.id ?? b64u(16), ...h({}) });
    case OP.status:
    case OP.receipt:
    case OP.revoke:
      return bare(op, { id: secret!.id, ...h(bearer(secret!.manageToken)) });
    case OP.encrypt:
      return json(op, { message: 'db password', mode: 'stored' }, h(bearer(TOKEN)));
    case OP.ask:
      return json(op, { publicKey: publicKey() }, h({}));
    case OP.view:
      return bare(op, { id: open.id, ...h({}) });
    case OP.respond:
      return json(op, { ciphertext: response() }, { id: open.id, ...h({}) });
    case OP.askStatus:
    case OP.pickup:
      return bare(op, { id: answered.id, ...h(bearer(answered.token)) });
    case OP.cancel:
      return bare(op, { id: open.id, ...h(bearer(open.token)) });
  }
}

const SUCCESS: Record<Op, number> = {
  [OP.doc]: 200, [OP.info]: 200, [OP.challenge]: 200, [OP.create]: 201, [OP.peek]: 200, [OP.consume]: 200, [OP.code]: 202, [OP.status]: 200, [OP.receipt]: 200, [OP.revoke]: 204,
  [OP.encrypt]: 200, [OP.ask]: 201, [OP.view]: 200, [OP.respond]: 201, [OP.askStatus]: 200, [OP.pickup]: 200, [OP.cancel]: 204,
};
const WITH_ID = Object.values(OP).filter((op) => op.includes('{id}'));
const WITH_BODY = Object.values(OP).filter((op) => !op.startsWith('GET '));
/** Routes whose body may carry a ciphertext (bodyLimit about HUSH_MAX_SIZE × 4/3); the others take 8 KiB. */
const LARGE_BODY: Op[] = [OP.create, OP.respond, OP.encrypt];

describe('every error status a route can answer is listed, and every listed one is answered', () => {
  it('with the default settings: success, 400, 401, 403 (passphrase, not yet), 404 and 413', async () => {
    for (const op of Object.values(OP)) {
      if (op === OP.challenge) continue; // no proof-of-work here (below: 404)
      await expectAnswer(s, op, working(op, await makePool(s)), SUCCESS[op]);
    }
    await expectAnswer(s, OP.challenge, bare(OP.challenge), 404, 'not_found');
    const pool = await makePool(s);
    for (const op of WITH_BODY) {
      const r = working(op, pool);
      await expectAnswer(s, op, { ...r, headers: { ...r.headers, 'content-type': 'application/json' }, body: '{"auth":' }, 400, 'invalid_request');
    }
    for (const op of WITH_ID) {
      await expectAnswer(s, op, { ...working(op, pool), path: pathOf(op, 'not-an-id')[1] }, 400, 'invalid_request');
      await expectAnswer(s, op, { ...working(op, pool), path: pathOf(op)[1] }, 404, 'not_found');
    }
    for (const op of WITH_BODY.filter((x) => !LARGE_BODY.includes(x))) {
      const r = working(op, pool);
      await expectAnswer(s, op, { ...r, headers: { ...r.headers, 'content-type': 'application/json' }, body: JSON.stringify({ auth: 'A'.repeat(9000) }) }, 413, 'payload_too_large');
    }
    for (const op of [OP.create, OP.ask, OP.encrypt]) await expectAnswer(s, op, { ...working(op, pool), headers: { 'content-type': 'application/json', ...bearer('not-a-token') } }, 401, 'unauthorized');
    await expectAnswer(s, OP.encrypt, json(OP.encrypt, { message: 'm', mode: 'stored' }), 401, 'unauthorized');

    const proof = randomBytes(32);
    const withPassphrase = secretBody({ passphrase: { salt: b64u(16), iterations: 600_000, verifier: b64uEncode(sha256(proof)) } });
    const locked = (await expectAnswer(s, OP.create, json(OP.create, withPassphrase.body), 201)).json as { id: string };
    await expectAnswer(s, OP.consume, json(OP.consume, { auth: withPassphrase.auth, passphraseProof: b64u(32) }, { id: locked.id }), 403, 'wrong_passphrase');
    const later = secretBody({ notBefore: new Date(Date.now() + 3_600_000).toISOString() });
    const early = (await expectAnswer(s, OP.create, json(OP.create, later.body), 201)).json as { id: string };
    await expectAnswer(s, OP.consume, json(OP.consume, { auth: later.auth }, { id: early.id }), 403, 'not_yet_available');
    const gated = pool.gated!;
    await expectAnswer(s, OP.consume, json(OP.consume, { auth: gated.auth }, { id: gated.id }), 403, 'code_required');
    await expectAnswer(s, OP.consume, json(OP.consume, { auth: gated.auth, code: '123456' }, { id: gated.id }), 403, 'wrong_code');
  });

  it('behind the origin lock: 403 on every route without its header', async () => {
    const locked = await startServer({ ...ALL_ROUTES, originLock: LOCK });
    try {
      const pool = await makePool(locked, { 'x-hush-origin-lock': LOCK });
      for (const op of Object.values(OP)) await expectAnswer(locked, op, working(op, pool), 403, 'unauthorized');
    } finally {
      await locked.close();
    }
  });

  it('with the proof-of-work check and a 1 KiB size limit: the challenge, 403 without or with a wrong answer, 413', async () => {
    const pow = await startServer({ ...ALL_ROUTES, challenge: 'pow', powCost: 1000, maxSize: 1024 });
    try {
      await expectAnswer(pow, OP.challenge, bare(OP.challenge), 200);
      for (const op of [OP.create, OP.ask]) {
        await expectAnswer(pow, op, working(op, { secret: [], request: [] }), 403, 'challenge_required');
        const r = working(op, { secret: [], request: [] });
        await expectAnswer(pow, op, { ...r, headers: { ...r.headers, 'x-hush-challenge': 'bm90IGFuIGFuc3dlcg' } }, 403, 'challenge_failed');
      }
      // API token holders skip the check: the pool.
      const pool = await makePool(pow, bearer(TOKEN));
      for (const op of LARGE_BODY) {
        const r = working(op, pool, op === OP.encrypt ? {} : bearer(TOKEN));
        await expectAnswer(pow, op, { ...r, body: JSON.stringify({ ciphertext: 'A'.repeat(20_000) }) }, 413, 'payload_too_large');
      }
      // Under the body limit, but over HUSH_MAX_SIZE once decoded.
      await expectAnswer(pow, OP.create, json(OP.create, secretBody({ ciphertext: b64u(2000) }).body, { headers: bearer(TOKEN) }), 413, 'payload_too_large');
      await expectAnswer(pow, OP.respond, json(OP.respond, { ciphertext: b64u(2000) }, { id: pool.request[1]!.id }), 413, 'payload_too_large');
      await expectAnswer(pow, OP.encrypt, json(OP.encrypt, { message: 'x'.repeat(1000), mode: 'stored' }, { headers: bearer(TOKEN) }), 413, 'payload_too_large');
    } finally {
      await pow.close();
    }
  });

  it('with rate limits of one: 429 on every route that counts, never on the others', async () => {
    const once = [{ max: 1, window: 60_000 }];
    const limited = await startServer({ ...ALL_ROUTES, rateLimit: true, rateCreate: once, rateRead: once, rateFailed: once, rateToken: once });
    try {
      const empty: Pool = { secret: [{ id: b64u(16), auth: b64u(32), manageToken: b64u(32) }], request: [{ id: b64u(16), token: b64u(32), answered: true }, { id: b64u(16), token: b64u(32), answered: false }] };
      for (const op of Object.values(OP)) {
        const limitedHere = operation(op).responses['429'] !== undefined;
        let last = 0;
        for (let i = 0; i < 3 && last !== 429; i++) {
          const got = await send(limited.url, working(op, empty));
          expect(answerProblems(op, got)).toEqual([]);
          last = got.status;
        }
        const got = await expectAnswer(limited, op, working(op, empty), limitedHere ? 429 : op === OP.challenge ? 404 : 200);
        if (limitedHere) expect(got.json).toMatchObject({ error: { code: 'rate_limited' } });
      }
    } finally {
      await limited.close();
    }
  });

  it('with a full store: 503 quota_exceeded wherever something is stored', async () => {
    const full = await startServer({ ...ALL_ROUTES, maxBytes: 150 });
    try {
      const asked = (await expectAnswer(full, OP.ask, json(OP.ask, { publicKey: publicKey() }), 201)).json as { id: string };
      await expectAnswer(full, OP.respond, json(OP.respond, { ciphertext: response() }, { id: asked.id }), 503, 'quota_exceeded');
      await expectAnswer(full, OP.create, json(OP.create, secretBody({ ciphertext: b64u(200) }).body), 503, 'quota_exceeded');
      await expectAnswer(full, OP.ask, json(OP.ask, { publicKey: publicKey(), note: 'n'.repeat(100) }), 503, 'quota_exceeded');
      await expectAnswer(full, OP.encrypt, json(OP.encrypt, { message: 'm'.repeat(200), mode: 'stored' }, { headers: bearer(TOKEN) }), 503, 'quota_exceeded');
    } finally {
      await full.close();
    }
  });

  it('every status the document lists was answered above (but 500 and 503, which need a failing server)', () => {
    const table: string[] = [];
    let count = 0;
    for (const op of Object.values(OP)) {
      const listed = Object.keys(operation(op).responses).map(Number);
      table.push(`${op}: ${listed.join(' ')}`);
      count += listed.length;
      // The code route's 200 needs a signed-in reader: provoked by the sign-in tests below.
      const here = listed.filter((x) => x !== 500 && x !== 503 && !(op === OP.code && x === 200));
      for (const status of here) expect(provoked.get(op)?.has(status), `${op} answered ${String(status)}`).toBe(true);
    }
    console.log(`openapi: ${String(table.length)} operations, ${String(count)} statuses listed\n  ${table.join('\n  ')}`);
  });
});

// The fuzz: requests derived from the document's schemas

/** Values known to the server (ids, tokens, keys), by member or parameter name, mixed into the derived ones. */
type Known = Record<string, unknown[]>;

/** The characters of a positive character class such as `A-Za-z0-9_-`. */
function classChars(cls: string): string[] {
  const chars: string[] = [];
  for (let i = 0; i < cls.length; i++) {
    if (cls[i + 1] === '-' && i + 2 < cls.length) {
      for (let c = cls.charCodeAt(i); c <= cls.charCodeAt(i + 2); c++) chars.push(String.fromCharCode(c));
      i += 2;
    } else chars.push(cls[i]!);
  }
  return chars;
}

const STRING_CAP = 64;

/** Values the schema accepts. */
function validOf(schema: Schema, known: Known, name?: string): fc.Arbitrary<unknown> {
  const derived = derive(deref(schema), known);
  const seeds = name === undefined ? undefined : known[name];
  return seeds?.length ? fc.oneof({ weight: 2, arbitrary: fc.constantFrom(...seeds) }, { weight: 1, arbitrary: derived }) : derived;
}

function derive(s: Schema, known: Known): fc.Arbitrary<unknown> {
  const members = s.anyOf ?? s.oneOf;
  if (members) return fc.oneof(...members.map((m) => validOf(m, known)));
  if (s.enum) return fc.constantFrom(...s.enum);
  if ('const' in s) return fc.constant(s.const);
  const types = [s.type ?? 'string'].flat();
  if (types.length > 1) return fc.oneof(...types.map((type) => derive({ ...s, type }, known)));
  switch (types[0]) {
    case 'null':
      return fc.constant(null);
    case 'boolean':
      return fc.boolean();
    case 'integer': {
      const min = s.minimum ?? -1e9;
      const max = s.maximum ?? 1e9;
      return fc.oneof(fc.constantFrom(min, max), fc.integer({ min, max }));
    }
    case 'object': {
      const model = Object.fromEntries(Object.entries(s.properties ?? {}).map(([k, p]) => [k, validOf(p, known, k)]));
      return fc.record(model, { requiredKeys: s.required ?? [] });
    }
    default: {
      if (s.format === 'date-time') return fc.integer({ min: -3600, max: 40 * 3600 }).map((sec) => new Date(Date.now() + sec * 1000).toISOString());
      const cls = s.pattern === undefined ? null : /^\^\[([^\]^][^\]]*)\](?:\{(\d+)\}|([+*]))\$$/.exec(s.pattern);
      if (cls) {
        const fixed = cls[2] === undefined ? undefined : Number(cls[2]);
        const minLength = fixed ?? Math.max(s.minLength ?? 0, cls[3] === '+' ? 1 : 0);
        return fc.string({ unit: fc.constantFrom(...classChars(cls[1]!)), minLength, maxLength: fixed ?? minLength + STRING_CAP });
      }
      const minLength = s.minLength ?? 0;
      const maxLength = Math.min(s.maxLength ?? STRING_CAP, minLength + STRING_CAP);
      const text = fc.oneof(fc.string({ unit: 'grapheme', minLength, maxLength }), fc.string({ unit: 'binary', minLength, maxLength }));
      return s.pattern === undefined ? text : text.filter((x) => new RegExp(s.pattern!, 'u').test(x));
    }
  }
}

/** Values the schema refuses: wrong types, out of bounds, too long or short, off-pattern, unknown or missing members. */
function invalidOf(schema: Schema, known: Known): fc.Arbitrary<unknown> {
  const s = deref(schema);
  const options: fc.Arbitrary<unknown>[] = [fc.constantFrom(null, true, 0, -1, 1.5, '', 'x', [], {}, [1, 'a'])];
  const types = [s.type ?? []].flat();
  if (s.enum) options.push(fc.string({ maxLength: 8 }));
  if (types.includes('string')) {
    if (s.maxLength !== undefined && s.maxLength < 10_000) options.push(fc.constant('A'.repeat(s.maxLength + 1)));
    if (s.minLength !== undefined && s.minLength > 0) options.push(fc.constant('A'.repeat(s.minLength - 1)));
    if (s.pattern !== undefined) {
      const insert = fc.constantFrom('=', '+', '/', ' ', '.', '\u0000', '\u0007', 'é', '\u2028', '\uD800');
      options.push(fc.tuple(validOf(s, known), insert, fc.nat(80)).map(([v, c, i]) => { const t = String(v); const at = i % (t.length + 1); return t.slice(0, at) + c + t.slice(at); }));
    }
    if (s.format === 'date-time') options.push(fc.constantFrom('tomorrow', '2030-13-01T00:00:00Z', '2030-02-30T00:00:00Z', '1893456000', '2030-01-01'));
  }
  if (types.includes('integer')) {
    if (s.minimum !== undefined) options.push(fc.constantFrom(s.minimum - 1, s.minimum + 0.5, String(s.minimum), -1e300));
    if (s.maximum !== undefined) options.push(fc.constantFrom(s.maximum + 1, 1e300, Number.MAX_SAFE_INTEGER + 2));
  }
  if (types.includes('object') && s.properties) {
    const props = Object.entries(s.properties);
    const whole = validOf(s, known) as fc.Arbitrary<Record<string, unknown>>;
    options.push(fc.tuple(whole, fc.constantFrom(...props)).chain(([v, [k, p]]) => invalidOf(p, known).map((bad) => ({ ...v, [k]: bad }))));
    if (s.required?.length) options.push(fc.tuple(whole, fc.constantFrom(...s.required)).map(([v, k]) => Object.fromEntries(Object.entries(v).filter(([key]) => key !== k))));
    if (s.additionalProperties === false) {
      const extra = fc.oneof(fc.string({ minLength: 1, maxLength: 8 }), fc.constantFrom('view', '__proto__', 'constructor', 'Auth'));
      options.push(fc.tuple(whole, extra.filter((k) => !Object.hasOwn(s.properties!, k)), fc.jsonValue({ maxDepth: 1 })).map(([v, k, x]) => ({ ...v, [k]: x })));
    }
    options.push(whole.map((v) => [v]));
  }
  for (const m of s.anyOf ?? s.oneOf ?? []) options.push(invalidOf(m, known));
  return fc.oneof(...options).filter((v) => validate(s, v).length > 0);
}

/** Bodies that are not JSON objects at all, or not JSON, or JSON Hush never sends. */
const GARBAGE = fc.oneof(
  fc.constantFrom('', '{', '[1,', '{"a":}', 'nul', '"x"', '{"__proto__":{"x":1}}', '{"constructor":{"prototype":{"x":1}}}', '{"a":[[[[[[1]]]]]]}', '\u0000', `{"auth":"${'A'.repeat(9000)}"}`),
  fc.string({ maxLength: 40 }),
  fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
);
const WRONG_TYPES = ['text/plain', 'application/x-www-form-urlencoded', 'application/octet-stream', 'multipart/form-data; boundary=x', 'a b', 'application/json; charset=utf-16', 'APPLICATION/JSON', 'application/jsonx'];

/** Percent-encoded text; a lone surrogate as the 3 bytes UTF-8 would give it, which no decoder takes. */
const percent = (text: string): string =>
  Array.from(text)
    .map((c) => {
      const u = c.charCodeAt(0);
      if (c.length > 1 || u < 0xd800 || u > 0xdfff) return encodeURIComponent(c);
      return [0xe0 | (u >> 12), 0x80 | ((u >> 6) & 63), 0x80 | (u & 63)].map((byte) => `%${byte.toString(16)}`).join('');
    })
    .join('');

/** Path parameters the router or the schema refuses: off-pattern, undecodable, over 64 characters. */
function badParam(schema: Schema, known: Known): fc.Arbitrary<string> {
  return fc.oneof(
    invalidOf(schema, known).map((v) => percent(typeof v === 'string' ? v : JSON.stringify(v))),
    fc.constantFrom('%zz', '%', 'a%2', '%2F', 'A'.repeat(70), '%00'.repeat(8)),
  );
}

/** Requests of one operation, derived from its parameters, body schema and security. */
function requestsOf(method: string, path: string, op: Operation, known: Known): fc.Arbitrary<Sent> {
  const params = op.parameters ?? [];
  const pathParts = params.filter((p) => p.in === 'path').map((p) =>
    fc.oneof({ weight: 3, arbitrary: validOf(p.schema, known, p.name).map(String) }, { weight: 2, arbitrary: badParam(p.schema, known) }).map((v) => [p.name, v] as const),
  );
  const headerParts = params.filter((p) => p.in === 'header').map((p) =>
    fc.option(fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)), maxLength: 80 }), { nil: undefined }).map((v) => [p.name, v] as const),
  );
  const schemes = (op.security ?? []).flatMap((r) => Object.keys(r));
  const optional = op.security === undefined || op.security.some((r) => Object.keys(r).length === 0);
  const tokens = schemes.flatMap((name) => (known[name] ?? []).map(String));
  const authorization: fc.Arbitrary<string | undefined> = fc.oneof(
    { weight: optional ? 6 : 1, arbitrary: fc.constant(undefined) },
    { weight: tokens.length > 0 ? 4 : 0, arbitrary: tokens.length > 0 ? fc.constantFrom(...tokens).map((t) => `Bearer ${t}`) : fc.constant(undefined) },
    { weight: 1, arbitrary: fc.constantFrom(`Bearer ${'A'.repeat(43)}`, `Bearer ${'x'.repeat(300)}`, 'Basic dXNlcjpwYXNz', 'Bearer', 'bearer  x') },
  );
  const media = op.requestBody?.content['application/json']?.schema;
  type Body = { type?: string; text: string } | undefined;
  const asJson = (v: unknown): Body => ({ type: 'application/json', text: JSON.stringify(v) });
  const body: fc.Arbitrary<Body> =
    method === 'GET' ? fc.constant(undefined)
    : media === undefined ?
      fc.oneof(
        { weight: 6, arbitrary: fc.constant(undefined) },
        { weight: 1, arbitrary: GARBAGE.map((text) => ({ type: 'application/json', text })) },
        { weight: 1, arbitrary: fc.constantFrom(...WRONG_TYPES).map((type) => ({ type, text: 'x=1' })) },
      )
    : fc.oneof(
        { weight: 5, arbitrary: validOf(media, known).map(asJson) },
        { weight: 5, arbitrary: invalidOf(media, known).map(asJson) },
        { weight: 1, arbitrary: GARBAGE.map((text) => ({ type: 'application/json', text })) },
        { weight: 1, arbitrary: fc.tuple(validOf(media, known), fc.constantFrom(...WRONG_TYPES)).map(([v, type]) => ({ type, text: JSON.stringify(v) })) },
        { weight: 1, arbitrary: fc.constantFrom<Body>(undefined, { text: '{}' }) },
      );
  return fc.record({ path: fc.tuple(...pathParts), headers: fc.tuple(...headerParts), authorization, body }).map((r) => {
    const headers: Record<string, string> = {};
    for (const [name, v] of r.headers) if (v !== undefined) headers[name] = v;
    if (r.authorization !== undefined) headers.authorization = r.authorization;
    if (r.body?.type !== undefined) headers['content-type'] = r.body.type;
    let url = path;
    for (const [name, v] of r.path) url = url.replace(`{${name}}`, v);
    return { method, path: url, headers, ...(r.body === undefined ? {} : { body: r.body.text }) };
  });
}

describe('schema-driven fuzz', () => {
  it(`never answers a 5xx or a status the document does not list for the operation (fast-check, seed ${String(SEED)})`, async () => {
    console.log(`openapi fuzz: seed ${String(SEED)} (HUSH_FUZZ_SEED=… replays another), ${String(RUNS)} requests per operation`);
    const started = Date.now();
    const statuses = new Map<number, number>();
    let sent = 0;
    let index = 0;
    for (const [path, item] of Object.entries(doc.paths)) {
      for (const [lower, op] of Object.entries(item)) {
        const method = lower.toUpperCase();
        const key = `${method} ${path}`;
        // A fresh pool each time: earlier requests consumed, revoked or picked up the last one.
        const pool = await makePool(s);
        const onRequests = path.startsWith('/api/v1/requests/');
        const known: Known = {
          id: onRequests ? pool.request.map((r) => r.id) : pool.secret.map((x) => x.id),
          auth: pool.secret.map((x) => x.auth),
          manageToken: pool.secret.map((x) => x.manageToken),
          requestToken: pool.request.map((r) => r.token),
          apiToken: [TOKEN],
          publicKey: [publicKey()],
          ciphertext: onRequests ? [response()] : [b64u(40)],
          expiresAt: [Math.floor(Date.now() / 1000) + 3600],
        };
        await fc.assert(
          fc.asyncProperty(requestsOf(method, path, op, known), async (r) => {
            const got = await send(s.url, r);
            sent++;
            statuses.set(got.status, (statuses.get(got.status) ?? 0) + 1);
            const wrong = [...(got.status >= 500 ? ['a 5xx'] : []), ...answerProblems(key, got)];
            if (wrong.length > 0) throw new Error(`${show(r)} → ${String(got.status)} ${got.text.slice(0, 300)}: ${wrong.join('; ')}`);
          }),
          { seed: SEED + index++, numRuns: RUNS, endOnFailure: true },
        );
      }
    }
    const seen = [...statuses].sort(([a], [b]) => a - b).map(([status, n]) => `${String(status)}×${String(n)}`).join(' ');
    console.log(`openapi fuzz: ${String(sent)} requests over ${String(index)} operations in ${String(Date.now() - started)} ms; statuses ${seen}`);
    expect(sent).toBe(index * RUNS);
    // The fuzz reaches past validation: successes and refusals after it, not only 400s.
    expect([...statuses.keys()]).toEqual(expect.arrayContaining([200, 201, 400, 404]));
  });
});

describe('sign-in (HUSH_CREATE=oidc): its API route is described, and answers as described', () => {
  it('GET /api/v1/session is in the document of a sign-in server: 200 signed out or in, 403 behind the origin lock', async () => {
    const key = randomBytes(32);
    const oidc = await startServer({ ...ALL_ROUTES, createPolicy: 'oidc', oidcIssuer: 'https://id.hush.example', oidcClientId: 'hush', sessionKey: b64uEncode(key), originLock: LOCK });
    const saved = doc;
    try {
      const lock = { 'x-hush-origin-lock': LOCK };
      doc = (await send(oidc.url, bare(OP.doc, { headers: lock }))).json as Doc;
      const routes = registered(oidc.app.printRoutes({ commonPrefix: false })).filter((r) => r.includes(' /api/')).sort();
      const documented = Object.entries(doc.paths).flatMap(([path, item]) => Object.keys(item).map((m) => `${m.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`));
      expect(documented.sort()).toEqual(routes);
      expect(routes).toContain('GET /api/v1/session');
      const session = 'GET /api/v1/session';
      const check = async (headers: Record<string, string>, status: number, body?: unknown): Promise<void> => {
        const got = await send(oidc.url, { method: 'GET', path: '/api/v1/session', headers });
        expect(got.status).toBe(status);
        expect(answerProblems(session, got)).toEqual([]);
        if (body !== undefined) expect(got.json).toEqual(body);
      };
      await check(lock, 200, { signedIn: false });
      const now = Math.floor(Date.now() / 1000);
      const csrf = b64u(32);
      const cookie = `__Host-hush_session=${new CookieSealer(key).seal('session', { sub: 's', email: 'a@hush.example', csrf, iat: now, seen: now })}`;
      await check({ ...lock, cookie }, 200, { signedIn: true, email: 'a@hush.example', csrf });
      await check({ cookie }, 403);
    } finally {
      doc = saved;
      await oidc.close();
    }
  });

  it('POST /api/v1/secrets/{id}/code answers a signed-in reader as described: 200 with the code when listed, 403 not_recipient when not', async () => {
    const key = randomBytes(32);
    const oidc = await startServer({ ...ALL_ROUTES, createPolicy: 'oidc', oidcIssuer: 'https://id.hush.example', oidcClientId: 'hush', sessionKey: b64uEncode(key) });
    const saved = doc;
    try {
      doc = (await send(oidc.url, bare(OP.doc))).json as Doc;
      const now = Math.floor(Date.now() / 1000);
      const csrf = b64u(32);
      const as = (email: string): string => `__Host-hush_session=${new CookieSealer(key).seal('session', { sub: email, email, csrf, iat: now, seen: now })}`;
      const origin = 'https://hush.example';
      const { auth, body } = secretBody({ recipients: ['ana@hush.example'] });
      const made = await expectAnswer(oidc, OP.create, json(OP.create, body, { headers: { cookie: as('ana@hush.example'), 'x-hush-csrf': csrf, origin } }), 201);
      const id = (made.json as { id: string }).id;
      const ask = (email: string) => json(OP.code, { auth, email }, { id, headers: { cookie: as(email), origin } });
      const given = await expectAnswer(oidc, OP.code, ask('ana@hush.example'), 200);
      expect(given.json).toMatchObject({ sent: false, code: expect.stringMatching(/^[0-9]{6}$/) as unknown });
      await expectAnswer(oidc, OP.code, ask('ben@hush.example'), 403, 'not_recipient');
    } finally {
      doc = saved;
      await oidc.close();
    }
  });

  it('POST /api/v1/me/tokens answers as described: 201 with the session and its x-hush-csrf, 401 without either, 403 csrf_failed, 403 behind the origin lock', async () => {
    const key = randomBytes(32);
    const oidc = await startServer({ ...ALL_ROUTES, createPolicy: 'oidc', oidcIssuer: 'https://id.hush.example', oidcClientId: 'hush', oidcCliClientId: 'hush-cli', sessionKey: b64uEncode(key), originLock: LOCK });
    const saved = doc;
    try {
      const lock = { 'x-hush-origin-lock': LOCK };
      doc = (await send(oidc.url, bare(OP.doc, { headers: lock }))).json as Doc;
      const tokens = 'POST /api/v1/me/tokens';
      const check = async (headers: Record<string, string>, status: number, code?: string): Promise<void> => {
        const got = await send(oidc.url, { method: 'POST', path: '/api/v1/me/tokens', headers });
        expect(got.status, got.text).toBe(status);
        if (code !== undefined) expect((got.json as { error: { code: string } }).error.code).toBe(code);
        expect(answerProblems(tokens, got)).toEqual([]);
      };
      const now = Math.floor(Date.now() / 1000);
      const csrf = b64u(32);
      const cookie = `__Host-hush_session=${new CookieSealer(key).seal('session', { sub: 's', email: 'a@hush.example', csrf, iat: now, seen: now })}`;
      await check({ ...lock, cookie, 'x-hush-csrf': csrf }, 201);
      await check(lock, 401, 'unauthorized');
      await check({ ...lock, authorization: `Bearer ${TOKEN}` }, 401, 'unauthorized');
      await check({ ...lock, cookie }, 403, 'csrf_failed');
      await check({ cookie, 'x-hush-csrf': csrf }, 403, 'unauthorized');
      // The ID token path needs the provider's keys: unreachable here, 503 (no ID token is checked without them).
      await check({ ...lock, authorization: 'Bearer eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJzIn0.c2ln' }, 503, 'unavailable');
    } finally {
      doc = saved;
      await oidc.close();
    }
  });
});
