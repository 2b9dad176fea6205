// Every write of the SQLite store, as one function that takes a batch and commits it. It runs in
// the store's writer thread (sqlite-engine.ts sends it there as source text), so `makeWriter` must
// stay self-contained: it uses nothing but its parameters, what it defines inside itself and
// STANDIN_WHERE (which sqlite-engine.ts sends along; no imports at run time, the `import type`
// lines are erased by the compiler).
//
// Evidence (docs/protocol.md §9, migration 6): a write given one records its event in the same
// savepoint as the change it records, after the token matched; without one, a write runs exactly
// the statements it ran before evidence existed.
import type Database from 'better-sqlite3';
import type { ConsumeResult, Quota } from './types.js';
import type { EvidenceArg, EvidenceRowIn, Failure, Outcome, OutboxRow, PurgeResult, RequestRowIn, SecretRow, Writer, WriteOp } from './sqlite-ops.js';
import type { AuditWrites } from './sqlite-audit-writes.js';

/**
 * `WHERE` of a token check: the row of the id given (one parameter), or — no such id — the
 * stand-in row '~' of migration 5, so that both cases do the same work (two index descents, one
 * row read, one hash comparison). The caller tells them apart by the id read back, after comparing.
 */
export const STANDIN_WHERE = (table: string): string => `id = coalesce((SELECT id FROM ${table} WHERE id = ?), '~')`;

type SameHash = (stored: Uint8Array | null | undefined, given: Uint8Array) => boolean;

/**
 * The writes, on `db`. Parameters rather than imports (this function may import nothing): the hash
 * comparison, SHA-256 (an evidence record's ref from a purged secret's id) and MAX_EVENTS_PER_SECRET.
 */
export function makeWriter(db: Database.Database, sameHash: SameHash, sha256: (text: string) => Uint8Array, maxEvents: number, audit: AuditWrites): Writer {
  const failure = (e: unknown): Failure => {
    const err = e as { message?: unknown; code?: unknown } | null;
    return { message: String(err?.message ?? e), code: typeof err?.code === 'string' ? err.code : undefined };
  };
  interface Row {
    rid: number;
    id: string;
    /** 1 while the secret holds ciphertext. */
    live: number;
    verifier: Uint8Array;
    pp_verifier: Uint8Array | null;
    pp_attempts_left: number | null;
    views_left: number;
    expires_at: number;
    not_before: number | null;
  }
  interface RequestRow {
    rid: number;
    id: string;
    token_hash: Uint8Array;
    answered: number;
    expires_at: number;
  }
  const stmt = {
    // Positional parameters (cheaper to bind than named ones): SecretRow with `views` twice.
    insert: db.prepare<[...SecretRow, number]>(
      `INSERT INTO secrets (id, ciphertext, verifier, manage_hash, pp_salt, pp_iterations, pp_verifier,
         pp_attempts_left, views, created_at, expires_at, not_before, size, views_left, state)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending')`,
    ),
    // Never the ciphertext itself, and typeof() rather than IS NOT NULL, which would read the
    // whole blob: the check costs the same whatever the secret's size, and the ciphertext is read
    // (below) only once the verifier matched (see migration 4 for why it is the last column).
    get: db.prepare<[string], Row>(
      `SELECT rowid AS rid, id, typeof(ciphertext) <> 'null' AS live, verifier, pp_verifier, pp_attempts_left, views_left, expires_at, not_before
       FROM secrets WHERE ${STANDIN_WHERE('secrets')}`,
    ),
    // The row just found is then read and changed by its rowid, one B-tree descent instead of two
    // (the id's index, then the table): within the transaction it cannot move.
    ciphertext: db.prepare<[number], { ciphertext: Uint8Array }>(`SELECT ciphertext FROM secrets WHERE rowid = ?`),
    getManage: db.prepare<[string], { rid: number; id: string; manage_hash: Uint8Array; state: string }>(
      `SELECT rowid AS rid, id, manage_hash, state FROM secrets WHERE ${STANDIN_WHERE('secrets')}`,
    ),
    take: db.prepare<[number, number]>(
      `UPDATE secrets SET views_left = views_left - 1,
         ciphertext = CASE WHEN views_left = 1 THEN NULL ELSE ciphertext END,
         state = CASE WHEN views_left = 1 THEN 'consumed' ELSE state END,
         consumed_at = CASE WHEN views_left = 1 THEN ? ELSE consumed_at END
       WHERE rowid = ?`,
    ),
    wrongProof: db.prepare<[number]>(
      `UPDATE secrets SET pp_attempts_left = pp_attempts_left - 1,
         ciphertext = CASE WHEN pp_attempts_left = 1 THEN NULL ELSE ciphertext END,
         state = CASE WHEN pp_attempts_left = 1 THEN 'burned' ELSE state END
       WHERE rowid = ?`,
    ),
    revoke: db.prepare<[number]>(`UPDATE secrets SET ciphertext = NULL, state = 'revoked' WHERE rowid = ?`),
    // Verified recipients (migration 9).
    burn: db.prepare<[number]>(`UPDATE secrets SET ciphertext = NULL, state = 'burned' WHERE rowid = ?`),
    insertGate: db.prepare<[string, Uint8Array, number]>(`INSERT INTO gates (id, recipients, attempts_left) VALUES (?, ?, ?)`),
    insertOwned: db.prepare<[Uint8Array, number, string]>(`INSERT INTO owned (owner, created_at, id) VALUES (?, ?, ?)`),
    getGate: db.prepare<[string], { recipients: Uint8Array; code_hash: Uint8Array | null; code_expires_at: number | null; attempts_left: number; codes_sent: number }>(
      `SELECT recipients, code_hash, code_expires_at, attempts_left, codes_sent FROM gates WHERE id = ?`,
    ),
    gateWrong: db.prepare<[string]>(`UPDATE gates SET attempts_left = attempts_left - 1 WHERE id = ?`),
    gateUsed: db.prepare<[string]>(`UPDATE gates SET code_hash = NULL, code_expires_at = NULL WHERE id = ?`),
    gateCode: db.prepare<[Uint8Array, number, string]>(`UPDATE gates SET code_hash = ?, code_expires_at = ?, codes_sent = codes_sent + 1 WHERE id = ?`),
    purge: db.prepare<[number, number], { id: string; unread: number; expires_at: number }>(
      `DELETE FROM secrets WHERE rowid IN (SELECT rowid FROM secrets WHERE expires_at <= ? LIMIT ?)
       RETURNING id, (state = 'pending') AS unread, expires_at`,
    ),
    // Outbox (migration 7): an event, due at once.
    notify: db.prepare<[string, string, number, number, number]>(`INSERT INTO outbox (type, secret_id, at, views_left, next_at) VALUES (?, ?, ?, ?, ?)`),
    claim: db.prepare<[string, number, number, number], OutboxRow>(
      `UPDATE outbox SET owner = ?, next_at = ?, attempts = attempts + 1
       WHERE event_id IN (SELECT event_id FROM outbox WHERE dead_until IS NULL AND next_at <= ? ORDER BY next_at LIMIT ?)
       RETURNING event_id, type, secret_id, at, views_left, attempts`,
    ),
    delivered: db.prepare<[number, string]>(`DELETE FROM outbox WHERE event_id = ? AND owner = ? AND dead_until IS NULL`),
    retry: db.prepare<[number, number, string]>(`UPDATE outbox SET next_at = ?, owner = NULL WHERE event_id = ? AND owner = ? AND dead_until IS NULL`),
    dead: db.prepare<[number, number, string]>(
      `UPDATE outbox SET dead_until = ?, owner = NULL, secret_id = NULL WHERE event_id = ? AND owner = ? AND dead_until IS NULL`,
    ),
    purgeDead: db.prepare<[number]>(`DELETE FROM outbox WHERE dead_until <= ?`),
    purgeUsed: db.prepare<[number]>(`DELETE FROM used_once WHERE expires_at <= ?`),
    useOnce: db.prepare<[string, number]>(`INSERT OR IGNORE INTO used_once (key, expires_at) VALUES (?, ?)`),
    stats: db.prepare<[], { live: number; bytes: number }>(`SELECT live, bytes FROM stats WHERE id = 1`),
    insertRequest: db.prepare<[...RequestRowIn]>(
      `INSERT INTO requests (id, public_key, note, token_hash, response, created_at, expires_at, answered_at, size)
       VALUES (?, ?, ?, ?, NULL, ?, ?, NULL, ?)`,
    ),
    // For an answer, which needs no token. typeof(), not IS NOT NULL, which would read the whole
    // response (see `get`).
    getRequest: db.prepare<[string], Pick<RequestRow, 'answered' | 'expires_at'>>(
      `SELECT typeof(response) <> 'null' AS answered, expires_at FROM requests WHERE id = ?`,
    ),
    // For pickup and cancel, which check the requester's token (an answer needs none).
    checkRequest: db.prepare<[string], RequestRow>(
      `SELECT rowid AS rid, id, token_hash, typeof(response) <> 'null' AS answered, expires_at FROM requests WHERE ${STANDIN_WHERE('requests')}`,
    ),
    answer: db.prepare<[Uint8Array, number, number, string]>(
      `UPDATE requests SET response = ?, size = size + ?, answered_at = ? WHERE id = ?`,
    ),
    takeResponse: db.prepare<[number], { response: Uint8Array }>(`DELETE FROM requests WHERE rowid = ? RETURNING response`),
    deleteRequest: db.prepare<[number]>(`DELETE FROM requests WHERE rowid = ?`),
    purgeRequests: db.prepare<[number, number]>(
      `DELETE FROM requests WHERE rowid IN (SELECT rowid FROM requests WHERE expires_at <= ? LIMIT ?)`,
    ),
    // Evidence (migration 6). The record is its 'created' event: one row, counted as the first event.
    insertEvidence: db.prepare<[...EvidenceRowIn]>(
      `INSERT INTO evidence (ref, manage_hash, ciphertext_hash, created_at, created_by, expires_at, views_left, retain_until, state, ended_at, events)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'pending', NULL, 1)`,
    ),
    insertEvent: db.prepare<[Uint8Array, number, string, number, string | null]>(`INSERT INTO events (ref, seq, type, at, client) VALUES (?, ?, ?, ?, ?)`),
    // Counts an event in the record (NULL: that field stays) and says how many it has now.
    countEvent: db.prepare<[number | null, string | null, number | null, number | null, Uint8Array], { events: number }>(
      `UPDATE evidence SET events = events + 1, views_left = coalesce(?, views_left), state = coalesce(?, state),
         ended_at = coalesce(?, ended_at), retain_until = coalesce(?, retain_until)
       WHERE ref = ? RETURNING events`,
    ),
    countOpened: db.prepare<[Uint8Array, number], { events: number }>(
      `UPDATE evidence SET events = events + 1 WHERE ref = ? AND state = 'pending' AND expires_at > ? RETURNING events`,
    ),
    // The record of a secret whose row the purge deleted, if still pending: it expired unread.
    markExpired: db.prepare<[Uint8Array], { events: number; expires_at: number }>(
      `UPDATE evidence SET state = 'expired', ended_at = expires_at, events = events + 1 WHERE ref = ? AND state = 'pending'
       RETURNING events, expires_at`,
    ),
    // Ended records past their retention (the partial index); the trigger of migration 6 deletes their events.
    deleteEvidence: db.prepare<[number, number]>(
      `DELETE FROM evidence WHERE ref IN (SELECT ref FROM evidence WHERE state <> 'pending' AND retain_until <= ? LIMIT ?)`,
    ),
  };
  /**
   * Records event `type` at `now` in `ev`'s record, when there is one: counted, and stored while
   * the record has fewer than `maxEvents`. `views` sets its views left; `end`, a state, ends it.
   */
  const record = (ev: EvidenceArg, type: string, now: number, views: number | null = null, end: string | null = null): void => {
    const counted = stmt.countEvent.get(views, end, end === null ? null : now, end === null ? null : now + ev.retainMs, ev.ref);
    if (counted && counted.events <= maxEvents) stmt.insertEvent.run(ev.ref, counted.events - 1, type, now, ev.client);
  };
  const hasRoom = (count: number, size: number, quota: Quota): boolean => {
    const s = stmt.stats.get();
    return !s || (s.live + count <= quota.maxSecrets && s.bytes + size <= quota.maxBytes);
  };
  /** The result of the purge that ended a cycle in this batch: told after the commit whether the WAL was truncated. */
  const cycle: { ended: PurgeResult | null } = { ended: null };
  /** Set by every write that erases ciphertext; read and cleared by takeErased(). */
  const wal = { erased: false };
  const normalBusyMs = db.pragma('busy_timeout', { simple: true }) as number;
  const truncateWal = (busyMs: number): boolean => {
    if (busyMs !== normalBusyMs) db.pragma(`busy_timeout = ${String(busyMs)}`);
    try {
      // busy = 1: another connection's checkpoint, reader or writer was in the way; nothing lost.
      const [row] = db.pragma('wal_checkpoint(TRUNCATE)') as { busy: number }[];
      return row?.busy === 0;
    } catch {
      return false;
    } finally {
      if (busyMs !== normalBusyMs) db.pragma(`busy_timeout = ${String(normalBusyMs)}`);
    }
  };

  // Each is a savepoint inside the batch's transaction (better-sqlite3 nests db.transaction so).
  const tx = {
    create: db.transaction((w: Extract<WriteOp, { op: 'create' }>): 'created' | 'quota_exceeded' => {
      const { row, quota, ev, gate, owner } = w;
      if (!hasRoom(1, row[12], quota)) return 'quota_exceeded';
      stmt.insert.run(...row, row[8]);
      if (gate) stmt.insertGate.run(row[0], gate[0], gate[1]);
      if (owner) stmt.insertOwned.run(owner, row[9], row[0]);
      if (ev) stmt.insertEvidence.run(...ev);
      return 'created';
    }),
    consume: db.transaction((id: string, verifier: Uint8Array, proof: Uint8Array | null, now: number, ev: EvidenceArg | undefined, notify: boolean, code: Uint8Array | null): ConsumeResult => {
      const row = stmt.get.get(id);
      if (!sameHash(row?.verifier, verifier) || row?.id !== id || row.live !== 1 || row.expires_at <= now) {
        return { ok: false, reason: 'not_found' };
      }
      if (row.not_before !== null && now < row.not_before) {
        return { ok: false, reason: 'not_yet_available', notBefore: row.not_before };
      }
      // Verified recipients: the current code first; a wrong one costs an attempt, the last burns.
      const gate = stmt.getGate.get(id);
      if (gate) {
        if (code === null) return { ok: false, reason: 'code_required' };
        const good = gate.code_hash !== null && gate.code_expires_at !== null && gate.code_expires_at > now && sameHash(gate.code_hash, code);
        if (!good) {
          stmt.gateWrong.run(id);
          const left = gate.attempts_left - 1;
          if (left <= 0) {
            stmt.burn.run(row.rid);
            wal.erased = true;
            if (ev) record(ev, 'burned', now, null, 'burned');
            if (notify) stmt.notify.run('secret.burned', id, now, 0, now);
          }
          return { ok: false, reason: 'wrong_code', attemptsLeft: Math.max(0, left) };
        }
      }
      if (row.pp_verifier !== null && (proof === null || !sameHash(row.pp_verifier, proof))) {
        stmt.wrongProof.run(row.rid);
        const burned = row.pp_attempts_left === 1;
        if (burned) wal.erased = true;
        if (ev) record(ev, 'passphrase_failed', now);
        if (ev && burned) record(ev, 'burned', now, null, 'burned');
        if (notify && burned) stmt.notify.run('secret.burned', id, now, 0, now);
        return { ok: false, reason: 'wrong_passphrase', attemptsLeft: (row.pp_attempts_left ?? 1) - 1 };
      }
      const taken = stmt.ciphertext.get(row.rid);
      if (!taken) return { ok: false, reason: 'not_found' }; // cannot happen: the row was just read in this transaction
      stmt.take.run(now, row.rid);
      if (gate) stmt.gateUsed.run(id); // one view per code
      const last = row.views_left === 1;
      if (last) wal.erased = true;
      if (ev) record(ev, 'read', now, row.views_left - 1, last ? 'consumed' : null);
      if (notify) stmt.notify.run('secret.read', id, now, row.views_left - 1, now);
      return { ok: true, ciphertext: taken.ciphertext, viewsLeft: row.views_left - 1 };
    }),
    revoke: db.transaction((id: string, manageHash: Uint8Array, now: number, ev: EvidenceArg | undefined, notify: boolean): boolean => {
      const row = stmt.getManage.get(id);
      if (!sameHash(row?.manage_hash, manageHash) || row?.id !== id) return false;
      if (row.state === 'pending') {
        stmt.revoke.run(row.rid);
        wal.erased = true;
        if (ev) record(ev, 'revoked', now, null, 'revoked');
        if (notify) stmt.notify.run('secret.revoked', id, now, 0, now);
      }
      return true;
    }),
    // Verified recipients: a code for a listed address (types.ts, "Verified recipients").
    requestCode: db.transaction(
      (w: Extract<WriteOp, { op: 'requestCode' }>): 'listed' | 'not_listed' | 'not_found' | 'too_many' => {
        const row = stmt.get.get(w.id);
        if (!sameHash(row?.verifier, w.verifier) || row?.id !== w.id || row.live !== 1 || row.expires_at <= w.now) return 'not_found';
        if (row.not_before !== null && w.now < row.not_before) return 'not_found';
        const gate = stmt.getGate.get(w.id);
        if (!gate) return 'not_found';
        if (gate.codes_sent >= w.maxSends) return 'too_many';
        const listed = (c: Uint8Array): boolean => Array.from({ length: gate.recipients.length / 32 }, (_, i) => sameHash(gate.recipients.subarray(i * 32, i * 32 + 32), c)).includes(true);
        if (!w.candidates.some(listed)) return 'not_listed';
        stmt.gateCode.run(w.codeHash, w.expiresAt, w.id);
        return 'listed';
      },
    ),
    opened: db.transaction((ref: Uint8Array, now: number, client: string): void => {
      const counted = stmt.countOpened.get(ref, now);
      if (counted && counted.events <= maxEvents) stmt.insertEvent.run(ref, counted.events - 1, 'opened', now, client);
    }),
    createRequest: db.transaction((row: RequestRowIn, quota: Quota): 'created' | 'quota_exceeded' => {
      if (!hasRoom(1, row[6], quota)) return 'quota_exceeded';
      stmt.insertRequest.run(...row);
      return 'created';
    }),
    answer: db.transaction((id: string, response: Uint8Array, now: number, quota: Quota): 'answered' | 'not_found' | 'quota_exceeded' => {
      const row = stmt.getRequest.get(id);
      // '~': the stand-in row of migration 5 is no request anyone can answer.
      if (!row || id === '~' || row.answered === 1 || row.expires_at <= now) return 'not_found';
      if (!hasRoom(0, response.length, quota)) return 'quota_exceeded';
      stmt.answer.run(response, response.length, now, id);
      return 'answered';
    }),
    pickup: db.transaction((id: string, tokenHash: Uint8Array, now: number): { ciphertext: Uint8Array } | null => {
      const row = stmt.checkRequest.get(id);
      if (!sameHash(row?.token_hash, tokenHash) || row?.id !== id || row.answered !== 1 || row.expires_at <= now) return null;
      const taken = stmt.takeResponse.get(row.rid);
      wal.erased = true;
      return taken ? { ciphertext: taken.response } : null;
    }),
    cancel: db.transaction((id: string, tokenHash: Uint8Array, now: number): boolean => {
      const row = stmt.checkRequest.get(id);
      if (!sameHash(row?.token_hash, tokenHash) || row?.id !== id || row.expires_at <= now) return false;
      stmt.deleteRequest.run(row.rid);
      wal.erased = true;
      return true;
    }),
    purge: db.transaction((now: number, limit: number, notify: boolean): PurgeResult => {
      const rows = stmt.purge.all(now, limit);
      // Requests left past their expiry were never picked up: they count as expired unread.
      const requests = rows.length < limit ? stmt.purgeRequests.run(now, limit - rows.length).changes : 0;
      // Evidence: the record of each secret deleted here that is still pending gets its 'expired'
      // event (at its expiry), then ended records past their retention go with what room is left.
      for (const r of rows) {
        const ref = sha256(r.id);
        const marked = stmt.markExpired.get(ref);
        if (marked && marked.events <= maxEvents) stmt.insertEvent.run(ref, marked.events - 1, 'expired', marked.expires_at, null);
        if (notify && r.unread === 1) stmt.notify.run('secret.expired', r.id, r.expires_at, 0, now);
      }
      const left = limit - rows.length - requests;
      const records = left > 0 ? stmt.deleteEvidence.run(now, left).changes : 0;
      const removed = rows.length + requests + records;
      const result: PurgeResult = { removed, expired: rows.reduce((n, r) => n + r.unread, 0) + requests, truncated: false };
      if (removed < limit) {
        // End of a purge cycle: forget expired single-use markers; after the commit, fold the
        // WAL into the main file and truncate it, so that erased ciphertext leaves the WAL too.
        stmt.purgeUsed.run(now);
        stmt.purgeDead.run(now);
        cycle.ended = result;
      }
      return result;
    }),
  };

  const one = (w: WriteOp): unknown => {
    switch (w.op) {
      case 'create':
        return tx.create(w);
      case 'consume':
        return tx.consume(w.id, w.verifier, w.proof, w.now, w.ev, w.notify === true, w.code ?? null);
      case 'requestCode':
        return tx.requestCode(w);
      case 'revoke':
        return tx.revoke(w.id, w.manageHash, w.now, w.ev, w.notify === true);
      case 'opened':
        tx.opened(w.ref, w.now, w.client);
        return undefined;
      case 'createRequest':
        return tx.createRequest(w.row, w.quota);
      case 'answer':
        return tx.answer(w.id, w.response, w.now, w.quota);
      case 'pickup':
        return tx.pickup(w.id, w.tokenHash, w.now);
      case 'cancel':
        return tx.cancel(w.id, w.tokenHash, w.now);
      case 'useOnce':
        return stmt.useOnce.run(w.key, w.expiresAt).changes === 1;
      case 'purge':
        return tx.purge(w.now, w.limit, w.notify === true);
      case 'claim':
        return stmt.claim.all(w.owner, w.now + w.leaseMs, w.now, w.limit);
      case 'seal':
        return audit.seal(w.now, w.limit, w.retainMs);
      case 'finish': {
        if (w.outcome === 'delivered') return stmt.delivered.run(w.eventId, w.owner).changes === 1;
        return (w.outcome === 'retry' ? stmt.retry : stmt.dead).run(w.at, w.eventId, w.owner).changes === 1;
      }
    }
  };
  const group = db.transaction((batch: readonly WriteOp[], out: Outcome[]): void => {
    for (const w of batch) {
      try {
        out.push({ ok: true, value: one(w) });
      } catch (e) {
        out.push({ ok: false, ...failure(e) });
      }
    }
  });

  return {
    run(batch) {
      const out: Outcome[] = [];
      try {
        group.immediate(batch, out);
      } catch (e) {
        return { failed: failure(e) };
      }
      const ended = cycle.ended;
      cycle.ended = null;
      // Busy (a reader elsewhere): not truncated; the next cycle tries again.
      if (ended) ended.truncated = truncateWal(normalBusyMs);
      return { results: out };
    },
    takeErased: () => {
      const erased = wal.erased;
      wal.erased = false;
      return erased;
    },
    truncateWal,
  };
}
