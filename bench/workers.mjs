// Per-core efficiency of HUSH_WORKERS (node bench/workers.mjs, or npm run bench -- --workers):
// Hush on SQLite with 1 and 2 worker processes, create and consume (a fresh secret each), with the
// server and the load generator pinned to separate cores by `taskset` so that they never compete:
// the load generator (this process, autocannon, every thread) on the last core, the server — the
// primary and its workers, which inherit its affinity — on the others. On a 2-core machine the
// server has one core: the runs then show what the cluster costs (the primary's hand-over of each
// connection, a second process and SQLite's file locks between processes), not what it gains.
// With more cores, HUSH_WORKERS equal to the server's cores is measured too. A second pass lets
// the server use every core, the load generator's included, to show what the other core buys
// when the two share it (not a per-core figure: they compete).
//
// For each run: req/s, latency, non-2xx answers, and the server's CPU time per request — user +
// system, every thread of the primary and of each worker (/proc/<pid>/stat), from just before the
// run to 1 s after it — and its inverse, requests per CPU-second: the per-core efficiency.
//
//   node bench/workers.mjs [--quick]     (npm run build first; `npm run bench -- --workers` does)
//
// Writes bench/results/workers.md and workers.json.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { sealSecret } from '../dist/protocol/index.js';
import { cpuMicros, hush, load, log, root, seed, stop } from './servers.mjs';

const args = new Set(process.argv.slice(2));
const DURATION = args.has('--quick') ? 3 : 10;
const CONNECTIONS = 64;
const SETTLE_MS = 1000;

const cores = availableParallelism();
if (cores < 2) throw new Error('bench/workers.mjs needs at least 2 cores: one for the load generator, one for the server');
const loadCore = cores - 1;
const serverCores = Array.from({ length: cores - 1 }, (_, i) => i);
// Every thread of this process (autocannon runs in it) on the last core.
execFileSync('taskset', ['-a', '-p', '-c', String(loadCore), String(process.pid)], { stdio: 'ignore' });

/** Processes whose parent is `pid`: the cluster's workers. */
function childrenOf(pid) {
  return readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .filter((d) => {
      try {
        const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
        return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === pid;
      } catch {
        return false;
      }
    })
    .map(Number);
}

/** CPU time (µs) of the server's processes: the one started, and its children when it is a primary. */
const clusterCpu = (pids) => pids.reduce((sum, pid) => {
  const c = cpuMicros(pid);
  return { user: sum.user + c.user, system: sum.system + c.system };
}, { user: 0, system: 0 });

async function measure(server, pids, kind, opts) {
  const before = clusterCpu(pids);
  const r = await load(server.url, kind, { duration: DURATION, connections: CONNECTIONS, ...opts });
  await new Promise((ok) => setTimeout(ok, SETTLE_MS));
  const after = clusterCpu(pids);
  const cpuPerReqUs = (after.user - before.user + after.system - before.system) / r.ok;
  return { ...r, cpuPerReqUs, perCpuSecond: 1e6 / cpuPerReqUs, coresBusy: (after.user - before.user + after.system - before.system) / 1e6 / DURATION };
}

const work = mkdtempSync(join(tmpdir(), 'hush-bench-workers-'));
const counts = [...new Set([1, 2, serverCores.length])];
const results = { machine: { cores, serverCores, loadCore, node: process.version, date: new Date().toISOString(), duration: DURATION, connections: CONNECTIONS, loadavg: loadavg() }, rows: [] };
const createBody = JSON.stringify({ ...(await sealSecret({ message: 'benchmark secret' })).body, ttl: 3600 });
try {
  const passes = [
    { cpus: serverCores, label: serverCores.join(',') },
    { cpus: [...serverCores, loadCore], label: `${[...serverCores, loadCore].join(',')} (shared)` },
  ];
  for (const { cpus, label } of passes) for (const workers of counts) {
    const db = join(work, `w${workers}-${cpus.length}.db`);
    log(`HUSH_WORKERS=${workers}: seeding secrets…`);
    const pool = await seed(db, DURATION * 20_000);
    const server = await hush(db, { HUSH_WORKERS: String(workers) }, { wrap: ['taskset', '-c', cpus.join(',')] });
    // The first worker's "listening" line starts the bench: wait for the others too.
    await new Promise((ok) => setTimeout(ok, 1500));
    const pids = [server.child.pid, ...(workers > 1 ? childrenOf(server.child.pid) : [])];
    if (pids.length !== (workers > 1 ? workers + 1 : 1)) throw new Error(`expected ${workers} workers, found ${pids.length - 1}`);
    log(`HUSH_WORKERS=${workers}: create, consume…`);
    await load(server.url, 'create', { body: createBody, duration: 1, connections: CONNECTIONS }); // warm-up
    const create = await measure(server, pids, 'create', { body: createBody });
    const consume = await measure(server, pids, 'consume', { secrets: pool });
    await stop(server);
    results.rows.push({ workers, serverOn: label, op: 'create', ...create }, { workers, serverOn: label, op: 'consume (fresh secret each)', ...consume });
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}

const m = results.machine;
const lines = [
  `Hush on SQLite, HUSH_WORKERS 1 vs ${counts.slice(1).join(', ')}: ${m.date.slice(0, 10)}, ${m.cores} cores, ${m.node}, ${m.connections} connections, ${m.duration} s a run;`,
  `load generator on core ${m.loadCore}, server on the cores named (taskset); load average at start ${m.loadavg.map((x) => x.toFixed(2)).join(' / ')}.`,
  '',
  '| server on cores | HUSH_WORKERS | operation | req/s | p50 ms | p99 ms | non-2xx | server CPU µs/request | requests per CPU-second | server cores busy |',
  '| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ...results.rows.map((r) => `| ${r.serverOn} | ${r.workers} | ${r.op} | ${r.rps.toFixed(0)} | ${r.p50} | ${r.p99} | ${r.non2xx + r.errors} | ${r.cpuPerReqUs.toFixed(1)} | ${r.perCpuSecond.toFixed(0)} | ${r.coresBusy.toFixed(2)} |`),
];
const out = join(root, 'bench', 'results');
mkdirSync(out, { recursive: true });
writeFileSync(join(out, 'workers.md'), lines.join('\n') + '\n');
writeFileSync(join(out, 'workers.json'), JSON.stringify(results, null, 2) + '\n');
process.stdout.write(lines.join('\n') + '\n');
