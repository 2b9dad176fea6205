// Verified recipients (docs/protocol.md §12; types.ts, "Verified recipients") in the PostgreSQL
// store: what create writes of a gate, the one statement of requestCode, and consume's answer
// with the gate's outcomes. The gate's checks inside consume are part of its one statement
// (CONSUME in postgres-statements.ts); the columns are those of migration 8.
import type { CodeResult, ConsumeResult, Gate, NewCode } from './types.js';
import { StoreUnavailableError } from './types.js';
import type { ConsumeRow } from './postgres-statements.js';

/** Bytes of one recipient's hash (HMAC-SHA256): `recipients` is cut into pieces of this size. */
const HASH_BYTES = 32;

export const GATE_SQL = {
  // The one atomic requestCode: $1 id, $2 verifier, $3 now, $4 the candidates' hashes, $5 the
  // code's hash, $6 its expiry, $7 most codes ever sent, $8 the deadline. The token is compared
  // here, as consume compares it: a missing id and a wrong token both end in no row after one
  // index descent, and so do a secret that has ended, expired, is not yet available or has no
  // gate ('not_found'). `d` locks the latest version of the row, so concurrent requests count
  // their sends one after the other and never pass `maxSends` together. A candidate is listed
  // when it equals one of the 32-byte pieces of `recipients`. The code is stored (replacing any
  // earlier one, which no longer opens the secret) and counted only when listed and under the
  // bound; the ciphertext is never read. 'late' as in consume: a code stored after the caller
  // stopped waiting would be one nobody sends, yet counted.
  requestCode: `WITH late AS MATERIALIZED (SELECT extract(epoch FROM clock_timestamp()) * 1000 > $8::float8 AS late),
    d AS MATERIALIZED (
      SELECT id, codes_sent >= $7::integer AS too_many,
        EXISTS (SELECT 1 FROM generate_series(0, length(recipients) / ${String(HASH_BYTES)} - 1) AS i
                WHERE substring(recipients FROM i * ${String(HASH_BYTES)} + 1 FOR ${String(HASH_BYTES)}) = ANY ($4::bytea[])) AS listed
      FROM hush_secrets
      WHERE id = $1::text AND verifier = $2::bytea AND ciphertext IS NOT NULL AND expires_at > $3::bigint
        AND (not_before IS NULL OR not_before <= $3::bigint) AND recipients IS NOT NULL AND NOT (SELECT late FROM late)
      FOR UPDATE
    ),
    stored AS (
      UPDATE hush_secrets s SET code_hash = $5::bytea, code_expires_at = $6::bigint, codes_sent = s.codes_sent + 1
      FROM d WHERE s.id = d.id AND d.listed AND NOT d.too_many
    )
    SELECT (SELECT late FROM late) AS late,
      (SELECT CASE WHEN too_many THEN 'too_many' WHEN listed THEN 'listed' ELSE 'not_listed' END FROM d) AS result`,
} as const;

/** `requestCode`: result is null when there was no row to act on (not_found). */
export interface CodeRow {
  late: boolean;
  result: Exclude<CodeResult, 'not_found'> | null;
}

/**
 * create's $17 and $18: the gate's recipients, their hashes one after the other (the statements
 * cut them back into 32-byte pieces, so each must be that long), and its attempts; NULL and NULL
 * for a secret without a gate.
 */
export function gateValues(gate: Gate | null | undefined): [Buffer | null, number | null] {
  if (!gate) return [null, null];
  if (gate.recipients.some((r) => r.length !== HASH_BYTES)) throw new RangeError(`a recipient's hash must be ${String(HASH_BYTES)} bytes`);
  return [Buffer.concat(gate.recipients.map((r) => Buffer.from(r))), gate.attempts];
}

/** requestCode's parameters, given the deadline (postgres.ts, #withDeadline). */
export const codeValues =
  (id: string, verifier: Uint8Array, code: NewCode, now: number) =>
  (deadline: number): unknown[] => [
    id,
    Buffer.from(verifier),
    now,
    code.candidates.map((c) => Buffer.from(c)),
    Buffer.from(code.codeHash),
    code.expiresAt,
    code.maxSends,
    deadline,
  ];

export function codeResult(row: CodeRow | undefined): CodeResult {
  if (row?.late === true) throw new StoreUnavailableError('PostgreSQL answered too late; nothing was changed');
  return row?.result ?? 'not_found';
}

/** What consume answers for the row its statement returned (none: not_found). */
export function consumeResult(row: ConsumeRow | undefined): ConsumeResult {
  if (!row) return { ok: false, reason: 'not_found' };
  switch (row.outcome) {
    case 'late':
      throw new StoreUnavailableError('PostgreSQL answered too late; nothing was changed');
    case 'early':
      return { ok: false, reason: 'not_yet_available', notBefore: Number(row.not_before ?? 0) };
    case 'code_required':
      return { ok: false, reason: 'code_required' };
    case 'wrong_code':
      return { ok: false, reason: 'wrong_code', attemptsLeft: Math.max(0, row.code_attempts_left ?? 0) };
    case 'wrong':
      return { ok: false, reason: 'wrong_passphrase', attemptsLeft: Math.max(0, row.pp_attempts_left ?? 0) };
    case 'take':
      if (row.released === null) return { ok: false, reason: 'not_found' };
      return { ok: true, ciphertext: row.released, viewsLeft: row.views_left };
  }
}
