// The audit trail of the PostgreSQL store (docs/protocol.md §11; the tables are migration 7 of
// postgres-migrations.ts). Triggers queue a pending entry with every stored event, in the
// statement that stores it; `seal` chains them onto hush_audit. Chaining is sequential — each
// entry holds the hash of the one before — so a seal is one transaction that first takes the
// head row FOR UPDATE SKIP LOCKED: one instance seals at a time, and the others, finding the row
// locked, return at once instead of waiting behind it. The hashes are computed here (node:crypto,
// over the same auditHashInput the verifier uses), not in SQL, so that the text hashed has one
// definition only.
import { hash } from 'node:crypto';
import type pg from 'pg';
import { auditHashInput, type AuditEntry } from '../protocol/audit.js';
import type { SealResult } from './types.js';

export const AUDIT_SQL = {
  // The head, locked for this transaction; no row when another transaction holds it (sealing).
  head: `SELECT seq, hash FROM hush_audit_head FOR UPDATE SKIP LOCKED`,
  // Read after the head was locked, in a statement of its own: its snapshot then holds what the
  // sealer before us deleted (a lock and a read in one statement could see rows it already sealed).
  pending: `SELECT id, at, type, client FROM hush_audit_pending ORDER BY id LIMIT $1::integer`,
  // The pending rows read ($1: their ids) become the new entries in id order — the order they
  // were read and hashed in — numbered on from the head's seq ($2), each with its hash from $3
  // (in the same order) and the hash before it (the head's, $4, for the first); their pending rows
  // are deleted and the head moved to the last one, all in one statement, and only if every one
  // of the n ($5) was still there (else the UPDATE changes no row, and seal rolls back). Nothing
  // the rows already hold (time, event, client, the hash before) is sent back.
  append: `WITH read AS (
      SELECT id, at, type, client, row_number() OVER (ORDER BY id) AS k
      FROM hush_audit_pending WHERE id = ANY($1::bigint[])
    ),
    hashed AS (
      SELECT k, hash, coalesce(lag(hash) OVER (ORDER BY k), $4::text) AS prev
      FROM unnest($3::text[]) WITH ORDINALITY AS h (hash, k)
    ),
    appended AS (
      INSERT INTO hush_audit (seq, at, type, client, prev, hash)
      SELECT $2::bigint + k, read.at, read.type, read.client, hashed.prev, hashed.hash
      FROM read JOIN hashed USING (k)
      RETURNING 1
    ),
    dequeued AS (DELETE FROM hush_audit_pending WHERE id IN (SELECT id FROM read))
    UPDATE hush_audit_head SET seq = $2::bigint + $5::bigint, hash = ($3::text[])[$5::integer]
    WHERE (SELECT count(*) FROM appended) = $5::bigint`,
  // Prune: of the first $1 entries, those before the first one not yet due (at + $2 retention >
  // $3 now), so the trail only ever loses its start and keeps no hole. The head is not touched.
  prune: `DELETE FROM hush_audit WHERE seq <= (
      SELECT coalesce(min(seq) FILTER (WHERE at + $2::bigint > $3::bigint) - 1, max(seq))
      FROM (SELECT seq, at FROM hush_audit ORDER BY seq LIMIT $1::integer) first
    )`,
  read: `SELECT seq, at, type, client, prev, hash FROM hush_audit WHERE seq > $1::bigint ORDER BY seq LIMIT $2::integer`,
} as const;

/** BIGINT columns come back as strings (node-postgres keeps their full range). */
interface HeadRow {
  seq: string;
  hash: string;
}
interface PendingRow {
  id: string;
  at: string;
  type: string;
  client: string | null;
}
export interface AuditRow {
  seq: string;
  at: string;
  type: string;
  client: string | null;
  prev: string;
  hash: string;
}

export const toAuditEntry = (row: AuditRow): AuditEntry => ({
  seq: Number(row.seq),
  at: Number(row.at),
  event: row.type,
  client: row.client,
  prev: row.prev,
  hash: row.hash,
});

const hashOf = (e: Omit<AuditEntry, 'hash'>): string => hash('sha256', auditHashInput(e), 'hex');

/**
 * One seal on `client` (a pooled connection of its own): up to `limit` pending entries chained on,
 * then up to `limit` due entries pruned from the start — one transaction. A failure leaves it
 * open: the caller must destroy the connection (release with the error), which rolls it back.
 */
export async function seal(client: pg.PoolClient, now: number, limit: number, retainMs: number): Promise<SealResult> {
  await client.query('BEGIN');
  const head = (await client.query<HeadRow>({ name: 'hush_audit_head', text: AUDIT_SQL.head })).rows[0];
  if (!head) {
    await client.query('ROLLBACK');
    return { sealed: 0, pruned: 0 };
  }
  const pending = (await client.query<PendingRow>({ name: 'hush_audit_pending', text: AUDIT_SQL.pending, values: [limit] })).rows;
  if (pending.length > 0) {
    let seq = Number(head.seq);
    let prev = head.hash;
    const hashes: string[] = [];
    for (const p of pending) {
      prev = hashOf({ seq: ++seq, at: Number(p.at), event: p.type, client: p.client, prev });
      hashes.push(prev);
    }
    const moved = await client.query({
      name: 'hush_audit_append',
      text: AUDIT_SQL.append,
      values: [pending.map((p) => p.id), head.seq, hashes, head.hash, pending.length],
    });
    if (moved.rowCount !== 1) throw new Error('the audit entries read were not all still pending');
  }
  const pruned = (await client.query({ name: 'hush_audit_prune', text: AUDIT_SQL.prune, values: [limit, retainMs, now] })).rowCount ?? 0;
  await client.query('COMMIT');
  return { sealed: pending.length, pruned };
}
