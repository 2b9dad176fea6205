// The operators' audit trail (docs/protocol.md §11): every lifecycle event the server records, in
// one append-only chain where each entry carries the hash of the one before it, exported as JSON
// Lines. An entry holds what happened, when, and the client's class — never an id, a hash of one,
// an address or a token. Removing or editing a line of an export breaks the chain at that line.
// This module is the format and its check; the stores build entries (with node:crypto, over the
// same `auditHashInput`). Pure: WebCrypto only, no I/O.
import { utf8Encode } from './bytes.js';
import { canonicalJson } from './receipt.js';

/** `prev` of the first entry a server ever writes. */
export const AUDIT_GENESIS = '0'.repeat(64);

/** Event types and client classes an entry may name (§9). */
export const AUDIT_EVENTS: readonly string[] = ['created', 'opened', 'read', 'passphrase_failed', 'burned', 'revoked', 'expired'];
export const AUDIT_CLIENTS: readonly string[] = ['browser', 'link-preview', 'scanner', 'cli', 'api', 'unknown'];

export interface AuditEntry {
  /** 1, 2, 3, … with no gap: the entry's place in the chain. */
  readonly seq: number;
  /** When the event happened (Unix ms). Not ordered: an expiry is recorded at the secret's expiry. */
  readonly at: number;
  readonly event: string;
  /** The client's class, or null for what the server itself did (expired). */
  readonly client: string | null;
  /** `hash` of the entry before (lowercase hex), AUDIT_GENESIS for seq 1. */
  readonly prev: string;
  /** Lowercase hex SHA-256 of UTF-8(auditHashInput(entry)). */
  readonly hash: string;
}

/** The exact text hashed: canonical JSON (§10) of the entry without its `hash`. */
export const auditHashInput = (e: Omit<AuditEntry, 'hash'>): string =>
  canonicalJson({ seq: e.seq, at: e.at, event: e.event, client: e.client, prev: e.prev });

/** One line of an export, without its newline: canonical JSON of the whole entry. */
export const auditLine = (e: AuditEntry): string =>
  canonicalJson({ seq: e.seq, at: e.at, event: e.event, client: e.client, prev: e.prev, hash: e.hash });

export type AuditVerdict =
  | {
      readonly ok: true;
      readonly entries: number;
      /** Seq of the first and last entry, and the last hash (null, null, the start, for none). */
      readonly first: number | null;
      readonly last: number | null;
      readonly head: string;
    }
  | {
      readonly ok: false;
      /** 1-based line of the export where the chain breaks. */
      readonly line: number;
      readonly problem: 'malformed' | 'edited' | 'removed' | 'reordered' | 'not_continued';
      readonly message: string;
    };

const HEX64 = /^[0-9a-f]{64}$/;
const KEYS = ['at', 'client', 'event', 'hash', 'prev', 'seq'].join();

const hex = (bytes: ArrayBuffer): string => Array.from(new Uint8Array(bytes), (b) => b.toString(16).padStart(2, '0')).join('');

/** Lowercase hex SHA-256 of the entry's hash input (what `hash` must be). */
export async function auditHash(e: Omit<AuditEntry, 'hash'>): Promise<string> {
  return hex(await crypto.subtle.digest('SHA-256', utf8Encode(auditHashInput(e))));
}

function parseEntry(text: string): AuditEntry | string {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return 'not JSON';
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return 'not a JSON object';
  const o = v as Record<string, unknown>;
  if (Object.keys(o).sort().join() !== KEYS) return `fields must be exactly ${KEYS}`;
  const { seq, at, event, client, prev, hash } = o;
  if (typeof seq !== 'number' || !Number.isSafeInteger(seq) || seq < 1) return 'seq is not a positive whole number';
  if (typeof at !== 'number' || !Number.isSafeInteger(at) || at < 0) return 'at is not a time in ms';
  if (typeof event !== 'string' || !AUDIT_EVENTS.includes(event)) return 'event is not an event type';
  if (client !== null && (typeof client !== 'string' || !AUDIT_CLIENTS.includes(client))) return 'client is not a client class';
  if (typeof prev !== 'string' || !HEX64.test(prev) || typeof hash !== 'string' || !HEX64.test(hash)) return 'prev and hash must be 64 lowercase hex digits';
  return { seq, at, event, client, prev, hash };
}

/**
 * Checks an export (JSON Lines; a trailing newline and blank lines at the end are fine): every
 * line well-formed, every hash right, seq without gaps, every `prev` the hash before it. `prev`
 * is the last hash of the export this one continues (checked against the first entry's prev);
 * without it a first entry of seq 1 must start at AUDIT_GENESIS, a later one is taken as given.
 * What no chain can show alone: lines cut off either end — the start shows against `prev` (or the
 * genesis, for an export from seq 1), the end only against a head kept elsewhere.
 */
export async function verifyAuditLines(text: string, options: { prev?: string } = {}): Promise<AuditVerdict> {
  const lines = text.replace(/\n+$/, '').split('\n');
  if (lines.length === 1 && lines[0] === '') return { ok: true, entries: 0, first: null, last: null, head: options.prev ?? AUDIT_GENESIS };
  let before: AuditEntry | null = null;
  let first: number | null = null;
  for (const [i, raw] of lines.entries()) {
    const line = i + 1;
    const e = parseEntry(raw.replace(/\r$/, ''));
    if (typeof e === 'string') return { ok: false, line, problem: 'malformed', message: `line ${String(line)}: ${e}` };
    if ((await auditHash(e)) !== e.hash) return { ok: false, line, problem: 'edited', message: `line ${String(line)} (seq ${String(e.seq)}): its hash does not match its content — the line was changed` };
    if (before === null) {
      first = e.seq;
      const start = options.prev ?? (e.seq === 1 ? AUDIT_GENESIS : null);
      if (start !== null && e.prev !== start) {
        return options.prev === undefined
          ? { ok: false, line, problem: 'edited', message: `line 1: seq 1 must start the chain (prev ${AUDIT_GENESIS.slice(0, 8)}…)` }
          : { ok: false, line, problem: 'not_continued', message: `line 1 (seq ${String(e.seq)}) does not continue the given head ${start.slice(0, 12)}…: entries between the two exports are missing` };
      }
    } else {
      if (e.seq > before.seq + 1) return { ok: false, line, problem: 'removed', message: `line ${String(line)}: seq jumps from ${String(before.seq)} to ${String(e.seq)} — ${String(e.seq - before.seq - 1)} entr${e.seq - before.seq - 1 === 1 ? 'y was' : 'ies were'} removed` };
      if (e.seq <= before.seq) return { ok: false, line, problem: 'reordered', message: `line ${String(line)}: seq ${String(e.seq)} comes after ${String(before.seq)} — lines were moved or repeated` };
      if (e.prev !== before.hash) return { ok: false, line, problem: 'removed', message: `line ${String(line)} (seq ${String(e.seq)}): prev is not the hash of the line before — that line was changed, or lines between were removed` };
    }
    before = e;
  }
  return { ok: true, entries: lines.length, first, last: before?.seq ?? null, head: before?.hash ?? AUDIT_GENESIS };
}
