// The PostgreSQL store's create, as parameters and SQL: one create's parameters (the statements
// SQL.create and SQL.createEvidence of postgres-statements.ts), and the statement that stores a
// group of creates at once (postgres-batch.ts), with the same quota rule item by item.
import type { Evidence, NewSecret, Quota } from './types.js';
import { gateValues } from './postgres-gate.js';
import { ownerValue } from './postgres-owners.js';
import { evidenceRef, sha256 } from './hash.js';

/** One create of a group (or alone). */
export interface CreateItem {
  readonly s: NewSecret;
  readonly quota: Quota;
  readonly evidence?: Evidence | undefined;
}

/** SQL.create's parameters ($1 – $19), and SQL.createEvidence's ($20 – $23) after them. */
export function createValues({ s, quota, evidence }: CreateItem): unknown[] {
  const pp = s.passphrase;
  const values = [
    s.id,
    Buffer.from(s.ciphertext),
    Buffer.from(s.verifier),
    Buffer.from(s.manageHash),
    pp?.salt ?? null,
    pp?.iterations ?? null,
    pp ? Buffer.from(pp.verifier) : null,
    pp?.attempts ?? null,
    s.views,
    s.createdAt,
    s.expiresAt,
    s.notBefore,
    s.ciphertext.length,
    s.ciphertext.length,
    quota.maxSecrets,
    quota.maxBytes,
    ...gateValues(s.gate),
    ownerValue(s.owner),
  ];
  return evidence ? [...values, evidenceRef(s.id), sha256(s.ciphertext), evidence.retainMs, evidence.client] : values;
}

/**
 * CREATE_GROUP_SQL's parameters: one array per column, one element per create. SQL.create's
 * $14 (the size a second time) is left out; the evidence columns are NULL for a create without.
 */
export function createGroupValues(items: readonly CreateItem[]): unknown[][] {
  const rows = items.map((item) => {
    const v = createValues(item);
    return [...v.slice(0, 13), ...v.slice(14, 19), v[19] ?? null, v[20] ?? null, v[21] ?? null, v[22] ?? null];
  });
  return Array.from({ length: 22 }, (_, col) => rows.map((r) => r[col]));
}

// A group of creates in one statement. `input` is the group, numbered in order (n); `walk` takes
// them one after the other against the quota read at the start (the sum of the striped counters,
// without a lock, as one create reads it) and lets each in only when it fits with those let in
// before it — the rule one create at a time would apply. `room` adds those let in to this
// connection's stripe, and the INSERTs select FROM it: nothing is stored uncounted or counted
// unstored. The evidence record of a create that has one is inserted FROM the secret's insert.
// Answers the ids stored; the others did not fit (quota_exceeded).
export const CREATE_GROUP_SQL = `WITH RECURSIVE input AS (
      SELECT * FROM unnest($1::text[], $2::bytea[], $3::bytea[], $4::bytea[], $5::text[], $6::integer[], $7::bytea[], $8::integer[],
        $9::integer[], $10::bigint[], $11::bigint[], $12::bigint[], $13::integer[], $14::bigint[], $15::bigint[], $16::bytea[],
        $17::integer[], $18::bytea[], $19::bytea[], $20::bytea[], $21::bigint[], $22::text[])
        WITH ORDINALITY AS t (id, ciphertext, verifier, manage_hash, pp_salt, pp_iterations, pp_verifier, pp_attempts, views,
          created_at, expires_at, not_before, size, max_secrets, max_bytes, recipients, code_attempts, owner,
          ref, ciphertext_hash, retain, client, n)
    ),
    total AS (SELECT coalesce(sum(live), 0)::numeric AS live, coalesce(sum(bytes), 0)::numeric AS bytes FROM hush_stats),
    walk (n, live, bytes, fits) AS (
      SELECT 0::bigint, live, bytes, false FROM total
      UNION ALL
      SELECT i.n, w.live + CASE WHEN f.fits THEN 1 ELSE 0 END, w.bytes + CASE WHEN f.fits THEN i.size ELSE 0 END, f.fits
      FROM walk w JOIN input i ON i.n = w.n + 1
        CROSS JOIN LATERAL (SELECT w.live + 1 <= i.max_secrets AND w.bytes + i.size <= i.max_bytes AS fits) f
    ),
    ok AS MATERIALIZED (SELECT i.* FROM input i JOIN walk w ON w.n = i.n WHERE w.fits),
    room AS (
      UPDATE hush_stats SET live = live + (SELECT count(*) FROM ok), bytes = bytes + (SELECT coalesce(sum(size), 0) FROM ok)
      WHERE id = pg_backend_pid() % 32 + 1
      RETURNING 1
    ),
    secret AS (
      INSERT INTO hush_secrets (id, ciphertext, verifier, manage_hash, pp_salt, pp_iterations, pp_verifier,
        pp_attempts_left, views, views_left, state, created_at, expires_at, not_before, size, recipients, code_attempts_left, owner)
      SELECT ok.id, ok.ciphertext, ok.verifier, ok.manage_hash, ok.pp_salt, ok.pp_iterations, ok.pp_verifier, ok.pp_attempts,
        ok.views, ok.views, 'pending', ok.created_at, ok.expires_at, ok.not_before, ok.size, ok.recipients, ok.code_attempts, ok.owner
      FROM ok, room
      RETURNING id
    ),
    evidence AS (
      INSERT INTO hush_evidence (ref, manage_hash, ciphertext_hash, created_at, created_by, expires_at, state, views_left, ended_at, retain_until, events)
      SELECT ok.ref, ok.manage_hash, ok.ciphertext_hash, ok.created_at, ok.client, ok.expires_at, 'pending', ok.views, NULL, ok.expires_at + ok.retain, 1
      FROM ok JOIN secret USING (id)
      WHERE ok.ref IS NOT NULL
    )
    SELECT id FROM secret`;
