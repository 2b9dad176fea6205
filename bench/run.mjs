// npm run bench — Hush against a bare node:http baseline, measured in the same run with the same
// load generator (autocannon), on this machine. Never part of `npm test`.
//
//   npm run bench                 create + consume, store growth, purge, CLI send, token-check timing (≈ 4 min)
//   npm run bench -- --quick      shorter runs (and 500 instead of 2 000 timing pairs per route)
//   npm run bench -- --soak       adds a 2-minute mixed soak (RSS and latency over time)
//   npm run bench -- --no-timing  leaves out the token-check timing (bench/timing.mjs, also run alone)
//   npm run bench -- --workers    only HUSH_WORKERS=1 vs 2 on SQLite, per core (bench/workers.mjs, also run alone)
//   npm run bench -- --instructions  adds instructions per request under valgrind's callgrind, bare
//                                 and Hush on SQLite (bench/instructions.mjs, also run alone): 4 – 10 min more
//
// Beside req/s, every create and consume run reports what it cost the server: its CPU time (user +
// system, all threads, from /proc/<pid>/stat) per 2xx answer, bare and Hush from the same run.
//
// Writes bench/results/latest.md, latest.json and latest.svg.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { join } from 'node:path';
import { SqliteStore } from '../dist/store/sqlite.js';
import { sealSecret } from '../dist/protocol/index.js';
import { instructionsReport, measureInstructions } from './instructions.mjs';
import { bare, cpuMicros, hush, load as loadFor, log, networkStores, root, seed, stop } from './servers.mjs';
import { measureTiming, timingReport } from './timing.mjs';

const args = new Set(process.argv.slice(2));
// HUSH_WORKERS 1 vs 2, server and load generator pinned to separate cores: a bench of its own.
if (args.has('--workers')) {
  await import('./workers.mjs');
  process.exit(0);
}
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

/** The load generator (bench/servers.mjs) with this run's duration unless told otherwise. */
const load = (url, kind, opts = {}) => loadFor(url, kind, { duration: DURATION, connections: CONNECTIONS, ...opts });

// How long after a measured load its server's CPU time is still counted: the work it does after
// its last answer (the writer's last commit, the WAL truncation and audit sealing that run at most
// once a second, the log flush every 250 ms) belongs to that load.
const SETTLE_MS = 1000;

/**
 * One measured load against a running server (`{ child, url }`): its result, the server's peak RSS,
 * and the server's CPU time (every thread: /proc/<pid>/stat) from just before the load to
 * SETTLE_MS after it, per 2xx answer: user + system (`cpuPerReqUs`), and each (`userPerReqUs`,
 * `systemPerReqUs`: the kernel's part, the network's system calls mostly).
 */
async function measured(server, kind, opts) {
  const pid = server.child.pid;
  const before = cpuMicros(pid);
  const { result, rssMB } = await withRss(pid, async () => {
    const r = await load(server.url, kind, opts);
    await new Promise((ok) => setTimeout(ok, SETTLE_MS));
    return r;
  });
  const after = cpuMicros(pid);
  const user = (after.user - before.user) / result.ok;
  const system = (after.system - before.system) / result.ok;
  return { result: { ...result, cpuPerReqUs: user + system, userPerReqUs: user, systemPerReqUs: system }, rssMB };
}

// The machine's load average (1, 5, 15 min) at the start: how much else ran beside the bench.
const results = { machine: { cpus: cpus().length, node: process.version, date: new Date().toISOString(), duration: DURATION, connections: CONNECTIONS, loadavg: loadavg() }, rows: [] };
const createBody = JSON.stringify({ ...(await sealSecret({ message: 'benchmark secret' })).body, ttl: 3600 });

try {
  // 1. create and consume: Hush on SQLite vs bare node:http.
  log('seeding secrets for consume runs…');
  const db = join(work, 'main.db');
  const pool = await seed(db, DURATION * 25_000);
  log('bare node:http: create, consume…');
  const bareSrv = await bare();
  // Warmed up like Hush below, so that neither pays its JIT compiling in the measured runs.
  await load(bareSrv.url, 'create', { body: createBody, duration: 1 });
  const bareCreate = (await measured(bareSrv, 'create', { body: createBody })).result;
  const bareConsume = (await measured(bareSrv, 'consume', { secrets: pool })).result;
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
  const c = await measured(h, 'create', { body: createBody });
  const k = await measured(h, 'consume', { secrets: pool });
  await stop(h);
  results.rows.push({ op: 'create', bare: bareCreate, hush: c.result, rssMB: c.rssMB, idleRssMB: idle });
  results.rows.push({ op: 'consume (fresh secret each)', bare: bareConsume, hush: k.result, rssMB: k.rssMB, idleRssMB: idle });

  // 1b. the same on PostgreSQL and Redis, when they answer here (same load, same baseline).
  for (const ns of await networkStores('bench')) {
    try {
      log(`seeding secrets in ${ns.name}…`);
      // Enough fresh secrets for every consume of the run (PostgreSQL and Redis answer more than
      // 12 000/s on a quiet machine here; a secret consumed twice would count a quick 404).
      const npool = await seed(ns.url(), DURATION * 25_000);
      const n = await hush(ns.url());
      await load(n.url, 'create', { body: createBody, duration: 1 });
      const nc = await measured(n, 'create', { body: createBody });
      const nk = await measured(n, 'consume', { secrets: npool });
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

  // 7. instructions per request under callgrind, bare and Hush on SQLite (bench/instructions.mjs).
  if (args.has('--instructions')) {
    try {
      // Not shortened by --quick: fewer warm-up requests leave V8 compiling in the measured phase.
      results.instructions = await measureInstructions();
    } catch (e) {
      log(`instructions per request: not measured: ${e.message}`);
      results.instructions = { error: e.message };
    }
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}

// Report.
const pct = (a, b) => `${((a / b) * 100).toFixed(0)} %`;
const times = (a, b) => `${(a / b).toFixed(2)} ×`;
const cpu = (x) => `${x.cpuPerReqUs.toFixed(1)} (${x.userPerReqUs.toFixed(1)} + ${x.systemPerReqUs.toFixed(1)})`;
// Where the two SQLite rows stand against the goal of 2 × bare's CPU per request.
const goal = (rows) => {
  const worst = Math.max(...rows.map((r) => r.hush.cpuPerReqUs / r.bare.cpuPerReqUs));
  return `${worst <= 2 ? 'met' : 'not met'} in this run: ${rows.map((r) => `${r.op.split(' ')[0]} ${times(r.hush.cpuPerReqUs, r.bare.cpuPerReqUs)}`).join(', ')}`;
};
const lines = [
  `# Hush benchmark — ${results.machine.date}`,
  '',
  `${results.machine.cpus} cores, Node ${results.machine.node}, autocannon ${CONNECTIONS} connections, ${DURATION} s per run, load generator on the same machine (load average ${results.machine.loadavg.map((x) => x.toFixed(1)).join(' / ')} at the start). Baseline: a bare node:http server parsing the same JSON and answering the same shapes, no storage.`,
  '',
  '| operation | bare req/s | Hush req/s | ratio | bare p50 / p99 ms | Hush p50 / p99 ms | Hush peak RSS | non-2xx |',
  '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ...results.rows.map((r) => `| ${r.op} | ${r.bare.rps.toFixed(0)} | ${r.hush.rps.toFixed(0)} | **${pct(r.hush.rps, r.bare.rps)}** | ${r.bare.p50} / ${r.bare.p99} | ${r.hush.p50} / ${r.hush.p99} | ${r.rssMB.toFixed(0)} MB | ${r.hush.non2xx + r.hush.errors} |`),
  '',
  `Idle RSS: ${results.rows[0].idleRssMB.toFixed(0)} MB half a second after start, ${results.idleSettledRssMB.toFixed(0)} MB after 12 s idle.`,
  '',
  '## Cost per request: server CPU time',
  '',
  `The same runs as above: user + system CPU time of the server process (every thread: for Hush on SQLite its writer and checkpointer too; not the PostgreSQL or Redis server's), from just before each ${DURATION}-s run to ${SETTLE_MS / 1000} s after it, ÷ its 2xx answers. Less sensitive to the machine's other load than req/s, not immune to it: on a busy machine both servers' figures rise (their caches are shared with other processes), so compare the ratios of one run; instructions per request (\`--instructions\`) do not move with load.`,
  '',
  '| operation | bare CPU µs / request (user + system) | Hush CPU µs / request (user + system) | Hush ÷ bare | req/s ratio |',
  '| --- | ---: | ---: | ---: | ---: |',
  ...results.rows.map((r) => `| ${r.op} | ${cpu(r.bare)} | ${cpu(r.hush)} | **${times(r.hush.cpuPerReqUs, r.bare.cpuPerReqUs)}** | ${pct(r.hush.rps, r.bare.rps)} |`),
  '',
  `Goal (issue 21): CPU per request within 2 × of bare for create and consume on SQLite — ${goal(results.rows.slice(0, 2))}.`,
  '',
  ...(Array.isArray(results.instructions)
    ? [
        '## Cost per request: instructions (callgrind)',
        '',
        `Each server alone under \`valgrind --tool=callgrind\` (bench/instructions.mjs): ${results.instructions[0].n.toLocaleString('en')} creates, then as many consumes of fresh secrets, counted between \`callgrind_control\` dumps after ${results.instructions[0].warm.toLocaleString('en')} of each to warm up (not counted); ${results.instructions[0].connections} connections from autocannon outside valgrind. Every thread of the server, user space only (the kernel's part is in the CPU time above). The last column: the server's idle instruction rate times the phase's length, what its timers could add to a slower phase; V8's garbage collection moves the figures too, by up to a fifth from run to run (docs/performance.md).`,
        '',
        ...instructionsReport(results.instructions),
        '',
      ]
    : results.instructions
      ? [`Instructions per request: not measured (${results.instructions.error}).`, '']
      : []),
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

// A horizontal bar chart in panels, bare baseline and Hush per operation: req/s (higher is better),
// server CPU µs per request, and instructions per request when measured (lower is better).
const pair = (r, of, fmt) => [
  { label: `${r.op} — bare node:http`, v: of(r.bare), text: fmt(of(r.bare)), color: '#9aa5b1' },
  { label: `${r.op} — Hush`, v: of(r.hush), text: fmt(of(r.hush)), color: '#2f6fde' },
];
const panels = [
  { title: `requests/s at ${CONNECTIONS} connections, ${results.machine.cpus} cores, ${results.machine.node} (${results.machine.date.slice(0, 10)})`, bars: results.rows.flatMap((r) => pair(r, (x) => x.rps, (v) => v.toFixed(0))) },
  { title: 'server CPU µs per request (user + system, all threads; lower is better)', bars: results.rows.flatMap((r) => pair(r, (x) => x.cpuPerReqUs, (v) => v.toFixed(1))) },
];
if (Array.isArray(results.instructions)) {
  const ops = [...new Set(results.instructions.map((x) => x.op))];
  panels.push({
    title: 'instructions per request under callgrind, thousands (SQLite; lower is better)',
    bars: ops.flatMap((op) => {
      const of = (server) => results.instructions.find((x) => x.op === op && x.server === server).perRequest;
      return pair({ op, bare: of('bare node:http'), hush: of('Hush (SQLite)') }, (x) => x, (v) => `${(v / 1000).toFixed(0)} k`);
    }),
  });
}
const W = 760, left = 300, rowH = 22, titleH = 36;
const H = panels.reduce((h, p) => h + titleH + p.bars.length * rowH, 0) + 16;
const esc = (t) => t.replace(/&/g, '&amp;').replace(/</g, '&lt;');
const svgRows = [];
let y0 = 0;
for (const p of panels) {
  const max = Math.max(...p.bars.map((b) => b.v));
  svgRows.push(`<text x="10" y="${y0 + 20}" font-size="14">${esc(p.title)}</text>`);
  p.bars.forEach((b, i) => {
    const y = y0 + titleH + i * rowH;
    const w = Math.max(1, (b.v / max) * (W - left - 70));
    svgRows.push(`<text x="${left - 8}" y="${y + 14}" text-anchor="end">${esc(b.label)}</text><rect x="${left}" y="${y + 3}" width="${w.toFixed(1)}" height="${rowH - 6}" fill="${b.color}"/><text x="${(left + w + 6).toFixed(1)}" y="${y + 14}">${esc(b.text)}</text>`);
  });
  y0 += titleH + p.bars.length * rowH;
}
const svg = [
  `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`,
  `<rect width="${W}" height="${H}" fill="#fff"/>`,
  ...svgRows,
  '</svg>',
].join('\n');
writeFileSync(join(out, 'latest.svg'), svg + '\n');
process.stdout.write(md + '\n');
