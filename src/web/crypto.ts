// The page side of the crypto worker: one module worker per page, created through the only
// Trusted Types policy the CSP allows, which accepts nothing but Hush's own worker scripts. Each
// page names its worker (useWorker) with `new URL('./worker-….js', import.meta.url)`, so a page
// ships, and the budget test follows, only the worker it starts. `workerRunner` is the runner the
// pages give the client flows (src/client/runner.ts): every operation is a message to the worker.
import { PowError, ProtocolError } from '../client/errors.js';
import type { CryptoRunner } from '../client/runner.js';
import type { Job, Op, Reply } from './crypto-messages.js';
import { scriptUrlPolicy } from './trusted-types.js';

const WORKER_PATH = /\/assets\/worker-[a-z0-9-]+\.js$/;

let script: URL | null = null;

/** The worker script this page starts (its own URL, relative to the page's bundle). */
export function useWorker(url: URL): void {
  script = url;
}

/** Lets through Hush's own worker scripts, nothing else (a page may start a second worker after pagehide ended the first). */
const trustedWorkerUrl = scriptUrlPolicy('hush-worker', (input) => {
  const u = new URL(input, location.href);
  if (u.origin !== location.origin || !WORKER_PATH.test(u.pathname) || u.search !== '' || u.hash !== '') {
    throw new TypeError('refused: not a Hush worker script');
  }
  return u.href;
});

function workerUrl(): string {
  if (script === null) throw new Error('no worker named: call useWorker first');
  return trustedWorkerUrl(script.href);
}

let worker: Worker | null = null;
let nextId = 1;
const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();

function getWorker(): Worker {
  if (worker !== null) return worker;
  const w = new Worker(workerUrl(), { type: 'module', name: 'hush-crypto' });
  w.addEventListener('message', (event: MessageEvent<Reply>) => {
    const reply = event.data;
    const p = pending.get(reply.id);
    if (p === undefined) return;
    pending.delete(reply.id);
    if (reply.ok) {
      p.resolve(reply.value);
      return;
    }
    const e = reply.error;
    if (e.name === 'ProtocolError' && e.code !== undefined) {
      p.reject(new ProtocolError(e.code as ProtocolError['code'], e.message, e.expiredAt === undefined ? undefined : { expiredAt: e.expiredAt }));
    } else if (e.name === 'PowError' && e.code !== undefined) {
      p.reject(new PowError(e.code as PowError['code'], e.message));
    } else {
      p.reject(new Error(e.message));
    }
  });
  w.addEventListener('error', () => {
    for (const p of pending.values()) p.reject(new Error('The crypto worker could not start.'));
    pending.clear();
    worker = null;
  });
  worker = w;
  return w;
}

/** Runs one operation in the worker. */
function inWorker(job: Job): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const id = nextId++;
    pending.set(id, { resolve, reject });
    getWorker().postMessage({ id, job });
  });
}

/** The operation `op` as a function that posts its arguments to the worker and resolves with its result. */
const post =
  <K extends Op>(op: K) =>
  (...args: Parameters<CryptoRunner[K]>): ReturnType<CryptoRunner[K]> =>
    inWorker({ op, args } as Job) as ReturnType<CryptoRunner[K]>;

/** The pages' runner: the worker named by useWorker runs every operation. */
export const workerRunner: CryptoRunner = {
  readAuth: post('readAuth'),
  readerKeys: post('readerKeys'),
  openSecret: post('openSecret'),
  seal: post('seal'),
  sealStateless: post('sealStateless'),
  openStateless: post('openStateless'),
  solvePow: post('solvePow'),
  generateRequesterKeys: post('generateRequesterKeys'),
  checkRequestKey: post('checkRequestKey'),
  sealResponse: post('sealResponse'),
  openResponse: post('openResponse'),
};

/**
 * Ends the worker and whatever it still holds (a message being sealed, a passphrase being
 * stretched). Called on `pagehide`; a later job starts a fresh worker.
 */
export function stopWorker(): void {
  if (worker === null) return;
  worker.terminate();
  worker = null;
  for (const p of pending.values()) p.reject(new Error('The page was left before the work finished.'));
  pending.clear();
}
