// Instructions per request: the bare node:http baseline and Hush on SQLite, each run under
// valgrind's callgrind, which counts the machine instructions that every thread of the server
// process executes in user space — a figure that, unlike req/s or CPU time, hardly changes with
// who else uses the cores (see below). Never part of `npm test`, and slow (4 – 6 minutes on this project's
// 2-core machines, more when they are busy: under callgrind a server runs some 50 times slower),
// so `npm run bench` runs it only when asked (`npm run bench -- --instructions`, bench/run.mjs
// section 7).
//
//   node bench/instructions.mjs                    2 000 creates and 2 000 consumes, after 3 000 of each
//   node bench/instructions.mjs --n 500 --warm 1000
//
// Method, the same for both servers, each in a process of its own, started under
// `valgrind --tool=callgrind --separate-threads=yes --instr-atstart=no`:
//  1. warm-up with callgrind's instrumentation off (valgrind runs the server but counts nothing,
//     several times faster): `warm` creates, then `warm` consumes. It has to be that long: V8
//     compiles the hot paths in the background as they warm, and that work is counted too —
//     successive runs of 1 000 creates on Hush cost 4.7 M, 1.9 M, 1.1 M, then 0.74 – 0.99 M
//     instructions each;
//  2. 5 s for what the warm-up left running, then `callgrind_control --instr=on`, 10 s of nothing
//     (what the server's timers cost idle, per second: reported, not subtracted — see below), and
//     `callgrind_control --dump`;
//  3. `n` creates, `--dump`; `n` consumes, each of a fresh secret, `--dump`. A dump holds what was
//     counted since the one before, one file per thread; instructions per request = their sum ÷
//     the 2xx answers of the phase. The main thread's part is reported beside it (the rest: the
//     SQLite writer and checkpointer threads, V8's compiler and GC helpers, libuv's pool).
// The load generator (autocannon, 64 connections) runs in this process, outside valgrind.
//
// Not counted: the kernel's work for the server (system calls, the network stack, the disk), which
// the CPU time per request of bench/run.mjs does count. Counted at a slower clock than in real
// runs: the work Hush does once a second (audit sealing, WAL truncation, checkpoints) covers ~50
// times fewer requests per round under callgrind, so its fixed part weighs more per request than
// at full speed; the idle rate (step 2) times the phase's seconds bounds what the timers alone add
// to a longer phase, and is reported as such. And V8's garbage collector, whose heuristics run on
// wall-clock time, lands a major collection in a phase or not: Hush's consumes measured 431 k to
// 537 k instructions each in five runs, most of the difference in V8's helper threads.
//
// perf (`perf stat -e instructions`) would be faster, but needs hardware counters: on this
// project's virtual machines it answers `<not supported>`, so callgrind it is everywhere, and
// figures from different machines compare.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { sealSecret } from '../dist/protocol/index.js';
import { bare, hush, load, log, seed, stop } from './servers.mjs';

const CONNECTIONS = 64;
const IDLE_S = 10;
const SETTLE_S = 5;

/** Sends a command to the callgrind run of process `pid` (`--dump=label`, `--instr=on`…). */
const control = (pid, arg) => execFileSync('callgrind_control', [arg, String(pid)], { stdio: ['ignore', 'pipe', 'pipe'] });

/**
 * The instructions of dump number `part` of process `pid` in `dir`: the sum of the `totals:` lines
 * of its per-thread files (`cg.<pid>.out.<part>-<thread>`), thread 1's (the main thread), and each thread's.
 */
function readDump(dir, pid, part) {
  const prefix = `cg.${pid}.out.${part}-`;
  let all = 0;
  let main = 0;
  const byThread = {};
  const files = readdirSync(dir).filter((f) => f.startsWith(prefix)).sort();
  if (files.length === 0) throw new Error(`callgrind wrote no ${prefix}* in ${dir}`);
  for (const f of files) {
    const text = readFileSync(join(dir, f), 'utf8');
    const m = /^totals:\s*(\d+)/m.exec(text) ?? /^summary:\s*(\d+)/m.exec(text);
    const ir = m ? Number(m[1]) : 0;
    all += ir;
    byThread[Number(f.slice(prefix.length))] = ir;
    if (f.endsWith('-01')) main += ir;
  }
  return { all, main, byThread };
}

/**
 * One server under callgrind: warm-up, idle, creates, consumes. `start(wrap)` starts it;
 * `secrets` holds at least warm + n fresh secrets for its consumes.
 */
async function measureServer(name, start, secrets, { n, warm, body, dir }) {
  const wrap = ['valgrind', '-q', '--tool=callgrind', '--separate-threads=yes', '--instr-atstart=no', `--callgrind-out-file=${join(dir, 'cg.%p.out')}`];
  log(`instructions: ${name}: starting under callgrind…`);
  const srv = await start(wrap);
  const pid = srv.child.pid;
  // A server under valgrind answers 64 connections slowly: no request may time out (autocannon
  // would send it again, and the server would have done the work of an answer nobody counts).
  const opts = { connections: CONNECTIONS, timeout: 600 };
  const rows = [];
  try {
    log(`instructions: ${name}: warm-up, ${warm} creates and ${warm} consumes…`);
    await load(srv.url, 'create', { ...opts, body, amount: warm });
    await load(srv.url, 'consume', { ...opts, secrets: secrets.slice(0, warm), amount: warm });
    // What the warm-up leaves running (the last compiles, a collection) finishes uncounted.
    await sleep(SETTLE_S * 1000);
    control(pid, '--instr=on');
    let part = 0;
    const phase = async (op, run) => {
      const t0 = process.hrtime.bigint();
      const r = await run();
      const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
      control(pid, `--dump=${op}`);
      return { op, seconds, r, ir: readDump(dir, pid, ++part) };
    };
    log(`instructions: ${name}: ${IDLE_S} s idle…`);
    const idle = await phase('idle', () => sleep(IDLE_S * 1000));
    const idlePerS = idle.ir.all / idle.seconds;
    for (const op of ['create', 'consume']) {
      log(`instructions: ${name}: ${n} ${op}s…`);
      const p = await phase(op, () =>
        op === 'create' ? load(srv.url, 'create', { ...opts, body, amount: n }) : load(srv.url, 'consume', { ...opts, secrets: secrets.slice(warm, warm + n), amount: n }),
      );
      if (p.r.ok !== n) log(`instructions: warning: ${name} ${op}: ${p.r.ok} of ${n} answers were 2xx`);
      rows.push({
        server: name,
        op,
        n,
        warm,
        connections: CONNECTIONS,
        ok: p.r.ok,
        seconds: p.seconds,
        instructions: p.ir.all,
        perRequest: p.ir.all / p.r.ok,
        mainPerRequest: p.ir.main / p.r.ok,
        byThread: p.ir.byThread,
        idlePerS,
        // The part a slower or faster phase could move: the idle timers' rate times its length.
        idleSharePerRequest: (idlePerS * p.seconds) / p.r.ok,
      });
    }
  } finally {
    await stop(srv);
  }
  return rows;
}

/** Measures both servers; returns one row per server and operation. */
export async function measureInstructions({ n = 2000, warm = 3000 } = {}) {
  try {
    execFileSync('valgrind', ['--version'], { stdio: 'ignore' });
    execFileSync('callgrind_control', ['--version'], { stdio: 'ignore' });
  } catch {
    throw new Error('valgrind (with callgrind_control) is not installed: apt-get install valgrind');
  }
  const dir = mkdtempSync(join(tmpdir(), 'hush-instructions-'));
  try {
    const body = JSON.stringify({ ...(await sealSecret({ message: 'benchmark secret' })).body, ttl: 3600 });
    const db = join(dir, 'hush.db');
    log(`instructions: seeding ${warm + n} secrets…`);
    const secrets = await seed(db, warm + n);
    return [
      // The bare server answers any id: the same list of paths serves it.
      ...(await measureServer('bare node:http', (wrap) => bare({ wrap }), secrets, { n, warm, body, dir })),
      ...(await measureServer('Hush (SQLite)', (wrap) => hush(db, {}, { wrap }), secrets, { n, warm, body, dir })),
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const fmt = (x) => Math.round(x).toLocaleString('en');

/** The report as Markdown lines. */
export function instructionsReport(rows) {
  const of = (server, op) => rows.find((r) => r.server === server && r.op === op);
  const ops = [...new Set(rows.map((r) => r.op))];
  return [
    '| operation | bare instructions / request | Hush instructions / request | Hush ÷ bare | main thread: bare / Hush | phase: bare / Hush | idle timers × phase length, per request: bare / Hush |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...ops.map((op) => {
      const b = of('bare node:http', op);
      const h = of('Hush (SQLite)', op);
      return `| ${op} (SQLite) | ${fmt(b.perRequest)} | ${fmt(h.perRequest)} | **${(h.perRequest / b.perRequest).toFixed(1)} ×** | ${fmt(b.mainPerRequest)} / ${fmt(h.mainPerRequest)} | ${b.seconds.toFixed(0)} / ${h.seconds.toFixed(0)} s | ≤ ${fmt(b.idleSharePerRequest)} / ≤ ${fmt(h.idleSharePerRequest)} |`;
    }),
  ];
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const argv = process.argv.slice(2);
  const opt = (name) => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const rows = await measureInstructions({ n: Number(opt('--n') ?? 2000), warm: Number(opt('--warm') ?? 3000) });
  process.stdout.write(instructionsReport(rows).join('\n') + '\n');
  if (argv.includes('--json')) process.stdout.write(JSON.stringify(rows, null, 2) + '\n');
}
