// Timing oracle check: does "this id exists, but the token is wrong" answer at a different speed
// from "no such id"? Against a real server on each store (SQLite, and PostgreSQL and Redis when
// they answer here), it sends many pairs of requests, one of each kind in a random order, one
// request at a time on one keep-alive connection, and compares the two latency distributions:
// medians, their ratio, and a Mann-Whitney U test (normal approximation). Never part of
// `npm test`: timings on a shared machine are noisy, which is why the two kinds are interleaved
// rather than measured one after the other.
//
//   node bench/timing.mjs                       every route, 2 000 pairs each, 200-byte and 1 MiB secrets
//   node bench/timing.mjs --n 500 --sizes 200   fewer pairs, one size
//   node bench/timing.mjs --stores sqlite       one store (sqlite, postgres, redis)
//
// `npm run bench` runs it too (bench/run.mjs, section 6). Rate limits are off for the server
// under test (HUSH_RATE_LIMIT=off): with them on, failed reads would soon be answered 429.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { openStore } from '../dist/store/index.js';
import { hush, log, networkStores, sha, stop } from './servers.mjs';

const b64u = (b) => Buffer.from(b).toString('base64url');

/** Every route whose token check a caller could time: method, path and what authenticates it. */
const ROUTES = [
  { name: 'peek', method: 'POST', path: (id) => `/api/v1/secrets/${id}/peek`, auth: 'body' },
  { name: 'consume', method: 'POST', path: (id) => `/api/v1/secrets/${id}/consume`, auth: 'body' },
  { name: 'status', method: 'GET', path: (id) => `/api/v1/secrets/${id}/status`, auth: 'bearer' },
  { name: 'revoke', method: 'DELETE', path: (id) => `/api/v1/secrets/${id}`, auth: 'bearer' },
  { name: 'request status', method: 'GET', path: (id) => `/api/v1/requests/${id}/status`, auth: 'bearer', request: true },
  { name: 'pickup', method: 'POST', path: (id) => `/api/v1/requests/${id}/pickup`, auth: 'bearer', request: true },
  { name: 'cancel', method: 'DELETE', path: (id) => `/api/v1/requests/${id}`, auth: 'bearer', request: true },
];

/** `count` secrets and `count` answered requests of `size` ciphertext bytes, written through the store itself. */
async function seed(storeUrl, size, count) {
  const store = await openStore(storeUrl);
  const quota = { maxSecrets: 1e12, maxBytes: 1e15 };
  const now = Date.now();
  const secrets = [];
  const requests = [];
  for (let i = 0; i < count; i++) {
    const id = b64u(randomBytes(16));
    await store.create(
      { id, ciphertext: randomBytes(size), verifier: sha(randomBytes(32)), manageHash: sha(randomBytes(32)), passphrase: null, views: 1, createdAt: now, expiresAt: now + 3600_000, notBefore: null },
      quota,
    );
    secrets.push(id);
    const rid = b64u(randomBytes(16));
    await store.createRequest({ id: rid, publicKey: Buffer.concat([Buffer.from([4]), randomBytes(64)]), note: 'timing', tokenHash: sha(randomBytes(32)), createdAt: now, expiresAt: now + 3600_000 }, quota);
    await store.answerRequest(rid, randomBytes(size), now, quota);
    requests.push(rid);
  }
  await store.close();
  return { secrets, requests };
}

/** One request; resolves with its latency in microseconds, its status and its body. */
function timed(agent, url, route, id) {
  const token = b64u(randomBytes(32)); // always wrong: both kinds of request fail the same check
  const headers = { connection: 'keep-alive' };
  let body;
  if (route.auth === 'body') {
    body = JSON.stringify({ auth: token });
    headers['content-type'] = 'application/json';
    headers['content-length'] = Buffer.byteLength(body);
  } else {
    headers.authorization = `Bearer ${token}`;
  }
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const req = request({ agent, host: url.hostname, port: url.port, method: route.method, path: route.path(id), headers }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ us: Number(process.hrtime.bigint() - t0) / 1000, status: res.statusCode, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/**
 * Mann-Whitney U of a against b, normal approximation with the tie correction. Returns z and a
 * two-sided p, and P(a sample of `a` is slower than one of `b`) — 0.5 when they do not differ.
 */
export function mannWhitney(a, b) {
  const all = [...a.map((v) => [v, 0]), ...b.map((v) => [v, 1])].sort((x, y) => x[0] - y[0]);
  const ranks = new Array(all.length);
  let tie = 0;
  for (let i = 0; i < all.length; ) {
    let j = i;
    while (j + 1 < all.length && all[j + 1][0] === all[i][0]) j++;
    const r = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) ranks[k] = r;
    const t = j - i + 1;
    tie += t * t * t - t;
    i = j + 1;
  }
  let ra = 0;
  for (let i = 0; i < all.length; i++) if (all[i][1] === 0) ra += ranks[i];
  const n1 = a.length;
  const n2 = b.length;
  const u = ra - (n1 * (n1 + 1)) / 2;
  const n = n1 + n2;
  const sd = Math.sqrt(((n1 * n2) / 12) * (n + 1 - tie / (n * (n - 1))));
  const z = (u - (n1 * n2) / 2) / sd;
  return { z, p: 2 * (1 - normalCdf(Math.abs(z))), pSlower: u / (n1 * n2) };
}
function normalCdf(x) {
  // Abramowitz-Stegun 26.2.17, |error| < 7.5e-8.
  const t = 1 / (1 + 0.2316419 * x);
  const d = 0.3989423 * Math.exp((-x * x) / 2);
  return 1 - d * t * (0.3193815 + t * (-0.3565638 + t * (1.781478 + t * (-1.821256 + t * 1.330274))));
}

/**
 * Measures every route on one running server: `n` pairs (existing id + wrong token, random id),
 * each pair in a random order, after `warm` pairs that are not counted.
 */
async function measureRoutes(url, ids, n, warm) {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const rows = [];
  try {
    for (const route of ROUTES) {
      const pool = route.request ? ids.requests : ids.secrets;
      const existing = [];
      const missing = [];
      let shape;
      for (let i = 0; i < warm + n; i++) {
        const e = pool[i % pool.length];
        const m = b64u(randomBytes(16));
        const first = Math.random() < 0.5;
        const a = await timed(agent, url, route, first ? e : m);
        const b = await timed(agent, url, route, first ? m : e);
        const [re, rm] = first ? [a, b] : [b, a];
        // Both must be the same refusal, or this measures something else.
        if (re.status !== rm.status || re.body !== rm.body || re.status < 400) {
          throw new Error(`${route.name}: existing id answered ${re.status} ${re.body}, random id ${rm.status} ${rm.body}`);
        }
        shape = re.status;
        if (i >= warm) {
          existing.push(re.us);
          missing.push(rm.us);
        }
      }
      const me = median(existing);
      const mm = median(missing);
      const mw = mannWhitney(existing, missing);
      rows.push({ route: route.name, status: shape, n, existingMedianUs: me, missingMedianUs: mm, ratio: me / mm, diffUs: me - mm, ...mw });
    }
  } finally {
    agent.destroy();
  }
  return rows;
}

/** Stores to measure: SQLite always, PostgreSQL and Redis when they answer; `url(size)` for each size. */
async function stores(only) {
  const dir = mkdtempSync(join(tmpdir(), 'hush-timing-'));
  const found = [
    { name: 'SQLite', key: 'sqlite', url: (size) => `sqlite:${join(dir, `t-${size}.db`)}`, cleanup: async () => rmSync(dir, { recursive: true, force: true }) },
    ...(await networkStores('timing')),
  ];
  const kept = [];
  for (const s of found) {
    if (only === undefined || only.includes(s.key)) kept.push(s);
    else await s.cleanup(); // left out (--stores): its probe made a schema or keys all the same
  }
  return kept;
}

/** Runs the whole check; returns one row per store, size and route. */
export async function measureTiming({ n = 2000, warm = 200, sizes = [200, 1024 * 1024], only } = {}) {
  const rows = [];
  for (const st of await stores(only)) {
    try {
      for (const size of sizes) {
        log(`timing: ${st.name}, ${size}-byte secrets: seeding…`);
        const url = st.url(size);
        const ids = await seed(url, size, 16);
        const server = await hush(url, { HUSH_MAX_SIZE: '16MiB' });
        try {
          log(`timing: ${st.name}, ${size}-byte secrets: ${n} pairs per route…`);
          for (const r of await measureRoutes(new URL(server.url), ids, n, warm)) rows.push({ store: st.name, size, ...r });
        } finally {
          await stop(server);
        }
      }
    } finally {
      await st.cleanup().catch((e) => log(`timing: cleanup of ${st.name} failed: ${e.message}`));
    }
  }
  return rows;
}

/** The report as Markdown lines. */
export function timingReport(rows) {
  // Same: the test finds no difference (p >= 0.001). Small: it finds one, but the medians are
  // within 3 % (some µs: an index probe that finds a row against one that does not). Differs: both.
  const verdict = (r) => (r.p >= 0.001 ? 'same' : Math.abs(r.ratio - 1) <= 0.03 ? 'small (< 3 %)' : 'DIFFERS');
  return [
    '| store | secret bytes | route | answer | existing id, wrong token: median µs | random id: median µs | ratio | Δ µs | P(existing slower) | MWU z | p | verdict |',
    '| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
    ...rows.map(
      (r) =>
        `| ${r.store} | ${r.size.toLocaleString('en')} | ${r.route} | ${r.status} | ${r.existingMedianUs.toFixed(0)} | ${r.missingMedianUs.toFixed(0)} | ${r.ratio.toFixed(3)} | ${r.diffUs.toFixed(1)} | ${r.pSlower.toFixed(3)} | ${r.z.toFixed(1)} | ${r.p < 0.0001 ? '< 0.0001' : r.p.toFixed(4)} | ${verdict(r)} |`,
    ),
  ];
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const argv = process.argv.slice(2);
  const opt = (name) => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const rows = await measureTiming({
    n: Number(opt('--n') ?? 2000),
    warm: Number(opt('--warm') ?? 200),
    sizes: (opt('--sizes') ?? `200,${1024 * 1024}`).split(',').map(Number),
    only: opt('--stores')?.split(','),
  });
  process.stdout.write(timingReport(rows).join('\n') + '\n');
  if (argv.includes('--json')) process.stdout.write(JSON.stringify(rows, null, 2) + '\n');
}
