// The page side of the crypto worker: one module worker per page, created through the only
// Trusted Types policy the CSP allows, which accepts nothing but Hush's own worker scripts. Each
// page names its worker (useWorker) with `new URL('./worker-….js', import.meta.url)`, so a page
// ships, and the budget test follows, only the worker it starts.
import { PowError } from '../client/pow.js';
import { ProtocolError } from '../protocol/errors.js';
import type { Job, Reply, Results } from './crypto-messages.js';

interface TrustedTypesFactory {
  createPolicy(name: string, rules: { createScriptURL: (input: string) => string }): { createScriptURL(input: string): unknown };
}

const WORKER_PATH = /\/assets\/worker-[a-z0-9-]+\.js$/;

let script: URL | null = null;
let policy: { createScriptURL(input: string): unknown } | null = null;

/** The worker script this page starts (its own URL, relative to the page's bundle). */
export function useWorker(url: URL): void {
  script = url;
}

function workerUrl(): string | URL {
  if (script === null) throw new Error('no worker named: call useWorker first');
  const url = script;
  const tt = (globalThis as { trustedTypes?: TrustedTypesFactory }).trustedTypes;
  if (tt === undefined) return url;
  // Made once: the CSP allows one policy of this name, and a page may start a second worker
  // (after pagehide ended the first).
  policy ??= tt.createPolicy('hush-worker', {
    createScriptURL(input: string): string {
      const u = new URL(input, location.href);
      if (u.origin !== location.origin || !WORKER_PATH.test(u.pathname) || u.search !== '' || u.hash !== '') {
        throw new TypeError('refused: not a Hush worker script');
      }
      return u.href;
    },
  });
  // A TrustedScriptURL is accepted wherever the DOM types say string | URL.
  return policy.createScriptURL(url.href) as string;
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
      p.reject(new ProtocolError(e.code, e.message, e.expiredAt === undefined ? undefined : { expiredAt: e.expiredAt }));
    } else if (e.name === 'PowError') {
      p.reject(new PowError(e.message));
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

/** Runs one job in the worker. */
export function inWorker<J extends Job>(job: J): Promise<Results[J['op']]> {
  return new Promise((resolve, reject) => {
    const id = nextId++;
    pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
    getWorker().postMessage({ id, job });
  });
}

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
