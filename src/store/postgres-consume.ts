// The PostgreSQL store's consume, as SQL: one statement for one consume (postgres.ts), and the
// same statement over a group of consumes (postgres-batch.ts), both made from ONE template so that
// the rules cannot drift apart. Each has four forms: plain, with evidence (docs/protocol.md §9),
// with the webhooks' outbox row, and both.
//
// The rules, per secret: `d` is the locked, latest version of a live, unexpired row whose
// verifier matches; outcome: 'late' (the statement runs after the caller stopped waiting, in the
// database's clock: nothing changes, so no view is spent on an answer nobody receives), 'early'
// (before notBefore: nothing changes), then with a gate (recipients) 'code_required' (no code:
// nothing changes) and 'wrong_code' (not the current code, expired or none: one code attempt
// less, burned at zero) — before the passphrase, so proofs cannot be tried without a code —,
// 'wrong' (passphrase proof missing or wrong: one attempt less, burned at zero), 'take' (one view
// less, erased with the last one; the code is used up: each view needs a new one). The
// ciphertext leaves only with 'take' (RETURNING), which a gated secret reaches only with its
// current code; of concurrent consumes with that code the first clears it, and the others
// re-read the row after it.
//
// The group form joins the secrets to the group's arrays (unnest) and locks the rows in order of
// id, so two groups that share secrets (two instances) take their locks in the same order and
// cannot deadlock; a group never holds one id twice (postgres-batch.ts). The counters' triggers
// are AFTER triggers, which run at the end of the statement, once every row is locked.
//
// Evidence: a take records 'read' (the record takes the views left; the last view ends it), a
// wrong proof 'passphrase_failed', and the one that burns it 'burned' too; a wrong code records
// nothing until the one that burns the secret, which records 'burned' alone (no code is evidence
// of anything but the burn); 'late', 'early' and 'code_required' change nothing and record nothing.
import { MAX_EVENTS_PER_SECRET, type Evidence } from './types.js';
import { evidenceRef } from './hash.js';

/** How one form of the statement names its inputs. */
interface Inputs {
  /** FROM of the locking sub-select, and what matches a row (id and verifier). */
  readonly from: string;
  readonly match: string;
  /** Columns the sub-select carries for what follows (the group's per-item values). */
  readonly carry: string;
  /** now, the passphrase proof's hash, the code's hash (inside the sub-select). */
  readonly now: string;
  readonly proof: string;
  readonly code: string;
  /** After the sub-select (in SET, and in the CTEs that read FROM c). */
  readonly id: string;
  readonly at: string;
  readonly ref: string;
  readonly client: string;
  readonly retain: string;
  /** What the statement returns besides each consume's outcome. */
  readonly returning: string;
}

// $5 is the deadline in both forms: one for the whole statement.
const ONE: Inputs = {
  from: 'hush_secrets',
  match: 'id = $1::text AND verifier = $2::bytea',
  carry: '',
  now: '$4::bigint',
  proof: '$3::bytea',
  code: '$6::bytea',
  id: '$1::text',
  at: '$4::bigint',
  ref: '$7::bytea',
  client: '$8::text',
  retain: '$9::bigint',
  returning: '',
};

// The group: $1 ids, $2 verifiers, $3 proofs, $4 nows, $6 codes, $7 refs, $8 clients, $9
// retentions, one element per consume (NULL where one has none).
const GROUP: Inputs = {
  from: `hush_secrets JOIN unnest($1::text[], $2::bytea[], $3::bytea[], $4::bigint[], $6::bytea[], $7::bytea[], $8::text[], $9::bigint[])
        AS i (in_id, in_verifier, in_proof, in_now, in_code, in_ref, in_client, in_retain) ON id = in_id`,
  match: 'verifier = in_verifier',
  carry: ', in_now, in_ref, in_client, in_retain',
  now: 'in_now',
  proof: 'in_proof',
  code: 'in_code',
  id: 'c.id',
  at: 'c.in_now',
  ref: 'c.in_ref',
  client: 'c.in_client',
  retain: 'c.in_retain',
  returning: ', s.id, d.in_now, d.in_ref, d.in_client, d.in_retain',
};

const change = (p: Inputs): string => `UPDATE hush_secrets s SET
      views_left = CASE WHEN d.outcome = 'take' THEN s.views_left - 1 ELSE s.views_left END,
      pp_attempts_left = CASE WHEN d.outcome = 'wrong' THEN s.pp_attempts_left - 1 ELSE s.pp_attempts_left END,
      code_attempts_left = CASE WHEN d.outcome = 'wrong_code' THEN s.code_attempts_left - 1 ELSE s.code_attempts_left END,
      code_hash = CASE WHEN d.outcome = 'take' THEN NULL ELSE s.code_hash END,
      code_expires_at = CASE WHEN d.outcome = 'take' THEN NULL ELSE s.code_expires_at END,
      ciphertext = CASE WHEN (d.outcome = 'take' AND s.views_left <= 1) OR (d.outcome = 'wrong' AND s.pp_attempts_left <= 1)
          OR (d.outcome = 'wrong_code' AND s.code_attempts_left <= 1)
        THEN NULL ELSE s.ciphertext END,
      state = CASE WHEN d.outcome = 'take' AND s.views_left <= 1 THEN 'consumed'
        WHEN (d.outcome = 'wrong' AND s.pp_attempts_left <= 1) OR (d.outcome = 'wrong_code' AND s.code_attempts_left <= 1) THEN 'burned'
        ELSE s.state END,
      consumed_at = CASE WHEN d.outcome = 'take' AND s.views_left <= 1 THEN d.now ELSE s.consumed_at END
    FROM (
      SELECT id, ciphertext AS released, not_before, ${p.now} AS now${p.carry},
        CASE WHEN extract(epoch FROM clock_timestamp()) * 1000 > $5::float8 THEN 'late'
             WHEN not_before IS NOT NULL AND ${p.now} < not_before THEN 'early'
             WHEN recipients IS NOT NULL AND ${p.code} IS NULL THEN 'code_required'
             WHEN recipients IS NOT NULL AND (code_hash IS NULL OR code_hash <> ${p.code} OR code_expires_at <= ${p.now}) THEN 'wrong_code'
             WHEN pp_verifier IS NOT NULL AND (${p.proof} IS NULL OR pp_verifier <> ${p.proof}) THEN 'wrong'
             ELSE 'take' END AS outcome
      FROM ${p.from}
      WHERE ${p.match} AND ciphertext IS NOT NULL AND expires_at > ${p.now}
      ORDER BY id
      FOR UPDATE OF hush_secrets
    ) d
    WHERE s.id = d.id
    RETURNING d.outcome, CASE WHEN d.outcome = 'take' THEN d.released END AS released, s.views_left,
      s.pp_attempts_left, s.code_attempts_left, d.not_before, s.state${p.returning}`;

const evidence = (p: Inputs): string => `ev AS (
      UPDATE hush_evidence h SET
        events = h.events + CASE WHEN c.state = 'burned' AND c.outcome = 'wrong' THEN 2 ELSE 1 END,
        views_left = c.views_left,
        state = CASE WHEN c.state = 'pending' THEN h.state ELSE c.state END,
        ended_at = CASE WHEN c.state = 'pending' THEN h.ended_at ELSE ${p.at} END,
        retain_until = CASE WHEN c.state = 'pending' THEN h.retain_until ELSE ${p.at} + ${p.retain} END
      FROM c
      WHERE h.ref = ${p.ref} AND (c.outcome IN ('take', 'wrong') OR (c.outcome = 'wrong_code' AND c.state = 'burned'))
      RETURNING h.ref, h.events, c.outcome, c.state, ${p.at} AS at, ${p.client} AS client
    ),
    logged AS (
      INSERT INTO hush_events (ref, seq, type, at, client)
      SELECT ev.ref, x.seq, x.type, ev.at, ev.client
      FROM ev CROSS JOIN LATERAL (VALUES
        (CASE WHEN ev.outcome = 'take' THEN ev.events - 1 WHEN ev.outcome = 'wrong' THEN ev.events - CASE WHEN ev.state = 'burned' THEN 2 ELSE 1 END END,
          CASE WHEN ev.outcome = 'take' THEN 'read' ELSE 'passphrase_failed' END),
        (CASE WHEN ev.state = 'burned' THEN ev.events - 1 END, 'burned')
      ) AS x (seq, type)
      WHERE x.seq IS NOT NULL AND x.seq < ${String(MAX_EVENTS_PER_SECRET)}
    )`;

// Webhooks on: the event's outbox row, in the statement that makes the change.
const outbox = (p: Inputs): string => `outbox AS (
      INSERT INTO hush_outbox (type, secret_id, at, views_left, next_at)
      SELECT CASE WHEN c.outcome = 'take' THEN 'secret.read' ELSE 'secret.burned' END, ${p.id}, ${p.at},
        CASE WHEN c.outcome = 'take' THEN c.views_left ELSE 0 END, ${p.at}
      FROM c WHERE c.outcome = 'take' OR (c.outcome IN ('wrong', 'wrong_code') AND c.state = 'burned')
    )`;

function forms(p: Inputs, select: string): { plain: string; evidence: string; notify: string; evidenceNotify: string } {
  const c = `WITH c AS (${change(p)})`;
  const final = `
    SELECT ${select}outcome, released, views_left, pp_attempts_left, code_attempts_left, not_before FROM c`;
  return {
    plain: change(p),
    evidence: `${c},
    ${evidence(p)}${final}`,
    notify: `${c},
    ${outbox(p)}${final}`,
    evidenceNotify: `${c},
    ${evidence(p)},
    ${outbox(p)}${final}`,
  };
}

/** One consume: $1 id, $2 verifier, $3 proof, $4 now, $5 deadline, $6 code; evidence $7 ref, $8 client, $9 retention (ms). */
export const CONSUME_SQL = forms(ONE, '');

/** A group of consumes: the same parameters, arrays of one element per consume ($5 one deadline); rows carry the id. */
export const CONSUME_GROUP_SQL = forms(GROUP, 'id, ');

/** One consume of a group (or alone), as the store was given it. */
export interface ConsumeItem {
  readonly id: string;
  readonly verifier: Uint8Array;
  readonly proof: Uint8Array | null;
  readonly now: number;
  readonly evidence: Evidence | undefined;
  readonly notify: boolean;
  readonly code: Uint8Array | null;
}

/** The form of one consume's statement, and the suffix of its prepared statement's name. */
export function consumeForm(c: { evidence: boolean; notify: boolean }): { key: keyof typeof CONSUME_SQL; name: string } {
  if (c.evidence) return c.notify ? { key: 'evidenceNotify', name: '_evidence_notify' } : { key: 'evidence', name: '_evidence' };
  return c.notify ? { key: 'notify', name: '_notify' } : { key: 'plain', name: '' };
}

const bytes = (b: Uint8Array | null): Buffer | null => (b === null ? null : Buffer.from(b));

/** CONSUME_SQL's parameters for one consume (its form's), or CONSUME_GROUP_SQL's for a group (every form's). */
export function consumeValues(items: readonly ConsumeItem[], deadline: number, group: boolean): unknown[] {
  if (!group) {
    const c = items[0]!;
    const values = [c.id, Buffer.from(c.verifier), bytes(c.proof), c.now, deadline, bytes(c.code)];
    return c.evidence ? [...values, evidenceRef(c.id), c.evidence.client, c.evidence.retainMs] : values;
  }
  return [
    items.map((c) => c.id),
    items.map((c) => Buffer.from(c.verifier)),
    items.map((c) => bytes(c.proof)),
    items.map((c) => c.now),
    deadline,
    items.map((c) => bytes(c.code)),
    items.map((c) => (c.evidence ? evidenceRef(c.id) : null)),
    items.map((c) => c.evidence?.client ?? null),
    items.map((c) => c.evidence?.retainMs ?? null),
  ];
}
