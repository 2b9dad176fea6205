// npm run bench — Hush against a bare node:http baseline, measured in the same run with the same
// load generator (autocannon), on this machine. Never part of `npm test`.
//
//   npm run bench                 create + consume, store growth, purge, CLI send, token-check timing (≈ 4 min)
//   npm run bench -- --quick      shorter runs (and 500 instead of 2 000 timing pairs per route)
//   npm run bench -- --soak       adds a 2-minute mixed soak (RSS and latency over time)
//   npm run bench -- --no-timing  leaves out the token-check timing (bench/timing.mjs, also run alone)
//
// Writes bench/results/latest.md, latest.json and latest.svg.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { SqliteStore } from '../dist/store/sqlite.js';
import { openStore } from '../dist/store/index.js';
import { sealSecret } from '../dist/protocol/index.js';
import { bare, hush, log, networkStores, root, sha, stop } from './servers.mjs';
import { measureTiming, timingReport } from './timing.mjs';

const args = new Set(process.argv.slice(2));
const DURATION = args.has('--quick') ? 3 : 10;
const CONNECTIONS = 64;
const work = mkdtempSync(join(tmpdir(), 'hush-bench-'));

/** Peak RSS of a process, sampled every 100 ms while `fn` runs (MB). */
async function withRss(pid, fn) {
  let peak = 0;
  const sample = () => {
    try {
      const kb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]);
      peak = Math.max(peak, kb / 1024);
    } catch {
      // the process has exited: keep the peak seen so far
    }
  };
  const t = setInterval(sample, 100);
  try {
    const result = await fn();
    sample();
    return { result, rssMB: peak };
  } finally {
    clearInterval(t);
  }
}
const idleRss = (pid) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) / 1024;

/**
 * Seeds `n` live (or expired) secrets straight into a store — a SQLite path or a HUSH_STORE URL —
 * and returns the ids and auth tokens of the live ones.
 */
async function seed(where, n, { expired = false } = {}) {
  const store = where.includes('://') ? await openStore(where) : new SqliteStore(where);
  const ciphertext = randomBytes(200);
  const now = Date.now();
  const out = [];
  const quota = { maxSecrets: 1e12, maxBytes: 1e15 };
  const one = async () => {
    const auth = randomBytes(32);
    const id = randomBytes(16).toString('base64url');
    await store.create({ id, ciphertext, verifier: sha(auth), manageHash: sha(randomBytes(32)), passphrase: null, views: 1, createdAt: now - (expired ? 7200_000 : 0), expiresAt: expired ? now - 1000 : now + 86400_000, notBefore: null }, quota);
    if (!expired) out.push({ id, auth: auth.toString('base64url') });
  };
  // 64 creates in flight: network stores pipeline them, SQLite commits them as one group.
  const batch = 64;
  for (let i = 0; i < n; i += batch) await Promise.all(Array.from({ length: Math.min(batch, n - i) }, one));
  await store.close();
  return out;
}

async function load(url, kind, { secrets, body, duration = DURATION, connections = CONNECTIONS, amount } = {}) {
  let i = 0;
  const opts = {
    url,
    connections,
    ...(amount ? { amount } : { duration }),
    method: 'POST',
    headers: { 'content-type': 'application/json' },
  };
  if (kind === 'create') {
    // autocannon takes the path from the URL (a separate `path` option is ignored).
    opts.url = `${url}/api/v1/secrets`;
    opts.body = body;
  } else {
    opts.requests = [
      {
        setupRequest: (req) => {
          const s = secrets[i++ % secrets.length];
          return { ...req, path: `/api/v1/secrets/${s.id}/consume`, body: JSON.stringify({ auth: s.auth }) };
        },
      },
    ];
  }
  const r = await autocannon(opts);
  if (r.non2xx > r.requests.total / 100) log(`warning: ${kind} at ${url}: ${r.non2xx} of ${r.requests.total} answers were not 2xx`);
  return {
    rps: r.requests.average,
    p50: r.latency.p50,
    p99: r.latency.p99,
    non2xx: r.non2xx,
    errors: r.errors + r.timeouts,
    total: r.requests.total,
    codes: Object.fromEntries(Object.entries(r.statusCodeStats ?? {}).map(([k, v]) => [k, v.count])),
  };
}

const results = { machine: { cpus: (await import('node:os')).cpus().length, node: process.version, date: new Date().toISOString(), duration: DURATION, connections: CONNECTIONS }, rows: [] };
const createBody = JSON.stringify({ ...(await sealSecret({ message: 'benchmark secret' })).body, ttl: 3600 });

try {
  // 1. create and consume: Hush on SQLite vs bare node:http.
  log('seeding secrets for consume runs…');
  const db = join(work, 'main.db');
  const pool = await seed(db, DURATION * 25_000);
  log('bare node:http: create, consume…');
  const bareSrv = await bare();
  const bareCreate = (await withRss(bareSrv.child.pid, () => load(bareSrv.url, 'create', { body: createBody }))).result;
  const bareConsume = (await withRss(bareSrv.child.pid, () => load(bareSrv.url, 'consume', { secrets: pool }))).result;
  await stop(bareSrv);

  log('Hush on SQLite: create, consume…');
  const h = await hush(db);
  await new Promise((r) => setTimeout(r, 500));
  const idle = idleRss(h.child.pid);
  // And once it has sat idle long enough for V8's memory reducer (it starts after 8 s) to give
  // back what start-up left behind.
  await new Promise((r) => setTimeout(r, 12_000));
  results.idleSettledRssMB = idleRss(h.child.pid);
  // Warm up the JIT, then measure.
  await load(h.url, 'create', { body: createBody, duration: 1 });
  const c = await withRss(h.child.pid, () => load(h.url, 'create', { body: createBody }));
  const k = await withRss(h.child.pid, () => load(h.url, 'consume', { secrets: pool }));
  await stop(h);
  results.rows.push({ op: 'create', bare: bareCreate, hush: c.result, rssMB: c.rssMB, idleRssMB: idle });
  results.rows.push({ op: 'consume (fresh secret each)', bare: bareConsume, hush: k.result, rssMB: k.rssMB, idleRssMB: idle });

  // 1b. the same on PostgreSQL and Redis, when they answer here (same load, same baseline).
  for (const ns of await networkStores('bench')) {
    try {
      log(`seeding secrets in ${ns.name}…`);
      // Enough fresh secrets for every consume of the run (Redis answers more than 12 000/s here).
      const npool = await seed(ns.url(), DURATION * (ns.name === 'Redis' ? 25_000 : 12_000));
      const n = await hush(ns.url());
      await load(n.url, 'create', { body: createBody, duration: 1 });
      const nc = await withRss(n.child.pid, () => load(n.url, 'create', { body: createBody }));
      const nk = await withRss(n.child.pid, () => load(n.url, 'consume', { secrets: npool }));
      await stop(n);
      results.rows.push({ op: `create on ${ns.name}`, bare: bareCreate, hush: nc.result, rssMB: nc.rssMB, idleRssMB: idle });
      results.rows.push({ op: `consume on ${ns.name}`, bare: bareConsume, hush: nk.result, rssMB: nk.rssMB, idleRssMB: idle });
    } finally {
      await ns.cleanup().catch((e) => log(`cleanup of ${ns.name} failed: ${e.message}`));
    }
  }

  // 2. consume latency as the store grows.
  results.growth = [];
  for (const n of args.has('--quick') ? [1_000, 100_000] : [1_000, 1_000_000]) {
    log(`seeding ${n} secrets…`);
    const gdb = join(work, `grow-${n}.db`);
    const all = await seed(gdb, n);
    const g = await hush(gdb);
    // 200 consumes to warm up, then 800 measured: each consume takes a fresh secret.
    await load(g.url, 'consume', { secrets: all.slice(0, 200), amount: 200, connections: 16 });
    const r = await load(g.url, 'consume', { secrets: all.slice(200, 1_000), amount: 800, connections: 16 });
    await stop(g);
    results.growth.push({ stored: n, ...r });
  }

  // 3. purge of 100 000 expired secrets.
  log('seeding 100 000 expired secrets…');
  const pdb = join(work, 'purge.db');
  await seed(pdb, 100_000, { expired: true });
  const ps = new SqliteStore(pdb);
  // How long the event loop is held while purging: what every other request waits at worst.
  const lag = monitorEventLoopDelay({ resolution: 1 });
  lag.enable();
  const t0 = process.hrtime.bigint();
  let removed = 0;
  for (;;) {
    const r = await ps.purge(Date.now(), 1_000);
    removed += r.removed;
    if (r.removed < 1_000) break;
  }
  lag.disable();
  results.purge = { removed, ms: Number(process.hrtime.bigint() - t0) / 1e6, loopDelayMaxMs: lag.max / 1e6, loopDelayP99Ms: lag.percentile(99) / 1e6 };
  await ps.close();

  // 4. CLI send of a 10 MiB file (when the CLI can send files).
  if (existsSync(join(root, 'dist/cli/main.js'))) {
    const cdb = join(work, 'cli.db');
    const srv = await hush(cdb, { HUSH_MAX_SIZE: '16MiB' });
    const file = join(work, 'ten.txt');
    writeFileSync(file, 'x'.repeat(10 * 1024 * 1024));
    const t = process.hrtime.bigint();
    try {
      execFileSync(process.execPath, ['bin/hush.js', 'send', '--file', file, '--server', srv.url], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
      results.cliSend = { ms: Number(process.hrtime.bigint() - t) / 1e6 };
    } catch (e) {
      results.cliSend = { error: String(e.stderr ?? e.message).trim().split('\n')[0] };
    }
    await stop(srv);
  }

  // 5. soak: 2 minutes of mixed load, sampled every 10 s.
  if (args.has('--soak')) {
    const sdb = join(work, 'soak.db');
    const soakPool = await seed(sdb, 12 * 80_000);
    const srv = await hush(sdb);
    results.soak = [];
    for (let i = 0; i < 12; i++) {
      const [a, b] = await Promise.all([
        load(srv.url, 'create', { body: createBody, duration: 10, connections: 16 }),
        load(srv.url, 'consume', { secrets: soakPool.slice(i * 80_000, (i + 1) * 80_000), duration: 10, connections: 16 }),
      ]);
      results.soak.push({ t: (i + 1) * 10, rssMB: idleRss(srv.child.pid), createP99: a.p99, consumeP99: b.p99, rps: a.rps + b.rps });
    }
    await stop(srv);
  }

  // 6. a wrong token on an existing id against a random id: the same time? (bench/timing.mjs)
  if (!args.has('--no-timing')) results.timing = await measureTiming({ n: args.has('--quick') ? 500 : 2000 });
} finally {
  rmSync(work, { recursive: true, force: true });
}

// Report.
const pct = (a, b) => `${((a / b) * 100).toFixed(0)} %`;
const lines = [
  `# Hush benchmark — ${results.machine.date}`,
  '',
  `${results.machine.cpus} cores, Node ${results.machine.node}, autocannon ${CONNECTIONS} connections, ${DURATION} s per run, load generator on the same machine. Baseline: a bare node:http server parsing the same JSON and answering the same shapes, no storage.`,
  '',
  '| operation | bare req/s | Hush req/s | ratio | bare p50 / p99 ms | Hush p50 / p99 ms | Hush peak RSS | non-2xx |',
  '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ...results.rows.map((r) => `| ${r.op} | ${r.bare.rps.toFixed(0)} | ${r.hush.rps.toFixed(0)} | **${pct(r.hush.rps, r.bare.rps)}** | ${r.bare.p50} / ${r.bare.p99} | ${r.hush.p50} / ${r.hush.p99} | ${r.rssMB.toFixed(0)} MB | ${r.hush.non2xx + r.hush.errors} |`),
  '',
  `Idle RSS: ${results.rows[0].idleRssMB.toFixed(0)} MB half a second after start, ${results.idleSettledRssMB.toFixed(0)} MB after 12 s idle.`,
  '',
  '## Consume latency as the store grows (16 connections, 800 fresh consumes after 200 warm-up)',
  '',
  '| stored secrets | req/s | p50 ms | p99 ms |',
  '| ---: | ---: | ---: | ---: |',
  ...results.growth.map((g) => `| ${g.stored.toLocaleString('en')} | ${g.rps.toFixed(0)} | ${g.p50} | ${g.p99} |`),
  '',
  `Purge of ${results.purge.removed.toLocaleString('en')} expired secrets: ${(results.purge.ms / 1000).toFixed(2)} s in batches of 1 000; the event loop was held at most ${results.purge.loopDelayMaxMs.toFixed(1)} ms (p99 ${results.purge.loopDelayP99Ms.toFixed(1)} ms).`,
  '',
  results.cliSend ? (results.cliSend.ms ? `CLI send of a 10 MiB file: ${(results.cliSend.ms / 1000).toFixed(2)} s.` : `CLI send of a 10 MiB file: not possible yet (${results.cliSend.error}).`) : 'CLI send of a 10 MiB file: no CLI built.',
  '',
  ...(results.soak
    ? ['## Soak (2 minutes, mixed create + consume, 2 × 16 connections)', '', '| t (s) | RSS MB | create p99 ms | consume p99 ms | req/s |', '| ---: | ---: | ---: | ---: | ---: |', ...results.soak.map((x) => `| ${x.t} | ${x.rssMB.toFixed(0)} | ${x.createP99} | ${x.consumeP99} | ${x.rps.toFixed(0)} |`), '']
    : []),
  ...(results.timing
    ? [
        '## Token checks: an existing id with a wrong token against a random id',
        '',
        'One request at a time on one keep-alive connection, the two kinds alternating in random order; rate limits off. Ratio = existing ÷ random (medians); P(existing slower) is 0.5 when the two do not differ; MWU = Mann-Whitney U.',
        '',
        ...timingReport(results.timing),
        '',
      ]
    : []),
];
const md = lines.join('\n');
const out = join(root, 'bench', 'results');
mkdirSync(out, { recursive: true });
writeFileSync(join(out, 'latest.md'), md + '\n');
writeFileSync(join(out, 'latest.json'), JSON.stringify(results, null, 2) + '\n');

// A horizontal bar chart: req/s of the bare baseline and of Hush, per operation.
const bars = results.rows.flatMap((r) => [
  { label: `${r.op} — bare node:http`, v: r.bare.rps, color: '#9aa5b1' },
  { label: `${r.op} — Hush`, v: r.hush.rps, color: '#2f6fde' },
]);
const max = Math.max(...bars.map((b) => b.v));
const W = 760, left = 300, rowH = 22, top = 36;
const H = top + bars.length * rowH + 16;
const esc = (t) => t.replace(/&/g, '&amp;').replace(/</g, '&lt;');
const svg = [
  `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`,
  `<rect width="${W}" height="${H}" fill="#fff"/>`,
  `<text x="10" y="20" font-size="14">requests/s at ${CONNECTIONS} connections, ${results.machine.cpus} cores, ${results.machine.node} (${results.machine.date.slice(0, 10)})</text>`,
  ...bars.map((b, i) => {
    const y = top + i * rowH;
    const w = Math.max(1, (b.v / max) * (W - left - 70));
    return `<text x="${left - 8}" y="${y + 14}" text-anchor="end">${esc(b.label)}</text><rect x="${left}" y="${y + 3}" width="${w.toFixed(1)}" height="${rowH - 6}" fill="${b.color}"/><text x="${(left + w + 6).toFixed(1)}" y="${y + 14}">${b.v.toFixed(0)}</text>`;
  }),
  '</svg>',
].join('\n');
writeFileSync(join(out, 'latest.svg'), svg + '\n');
process.stdout.write(md + '\n');
