// Reads on the SQLite store's own connection that sqlite.ts keeps apart, to stay about secrets:
// the audit trail (migration 8; its one write, the seal, is in sqlite-writer.ts) and an owner's
// list of secrets (migration 10).
import type Database from 'better-sqlite3';
import type { AuditEntry } from '../protocol/audit.js';
import type { SecretState } from '../protocol/api.js';
import type { OwnedSecret } from './types.js';

export interface AuditReads {
  /** Whether a seal would do anything: entries queued, or the oldest entry due for pruning. */
  due(now: number, retainMs: number): boolean;
  read(since: number, limit: number): AuditEntry[];
}

export function auditReads(db: Database.Database): AuditReads {
  // Two index probes: the queue's first row, the trail's first row.
  const due = db.prepare<[number], { due: number }>(
    `SELECT EXISTS (SELECT 1 FROM audit_pending) OR coalesce((SELECT at FROM audit ORDER BY seq LIMIT 1) <= ?, 0) AS due`,
  );
  const read = db.prepare<[number, number], AuditEntry>(
    `SELECT seq, at, type AS event, client, prev, hash FROM audit WHERE seq > ? ORDER BY seq LIMIT ?`,
  );
  return {
    due: (now, retainMs) => due.get(now - retainMs)?.due === 1,
    read: (since, limit) => read.all(since, limit).map((e) => ({ ...e })),
  };
}

export interface OwnerReads {
  list(owner: Uint8Array, now: number, options: { limit: number; id?: string }): OwnedSecret[];
}

interface OwnedRow {
  id: string;
  manage_hash: Buffer;
  created_at: number;
  expires_at: number;
  state: 'pending' | 'consumed' | 'revoked' | 'burned';
  views_left: number;
  gated: number;
}

export function ownerReads(db: Database.Database): OwnerReads {
  // The owner's range of `owned`, newest first, joined to each secret's row by its id (never
  // the ciphertext: every column read comes before it, migration 4).
  const columns = `s.id, s.manage_hash, o.created_at, s.expires_at, s.state, s.views_left, EXISTS (SELECT 1 FROM gates g WHERE g.id = s.id) AS gated
    FROM owned o JOIN secrets s ON s.id = o.id`;
  const list = db.prepare<[Uint8Array, number], OwnedRow>(`SELECT ${columns} WHERE o.owner = ? ORDER BY o.created_at DESC, o.id DESC LIMIT ?`);
  const one = db.prepare<[Uint8Array, string], OwnedRow>(`SELECT ${columns} WHERE o.owner = ? AND o.id = ?`);
  const shape = (r: OwnedRow, now: number): OwnedSecret => {
    // As status says it: a pending secret past its expiry is expired, and only a pending one has views left.
    const state: SecretState = r.state === 'pending' && r.expires_at <= now ? 'expired' : r.state;
    return {
      id: r.id,
      manageHash: r.manage_hash,
      createdAt: r.created_at,
      expiresAt: r.expires_at,
      state,
      viewsLeft: state === 'pending' ? r.views_left : 0,
      ...(r.gated === 1 ? { restricted: true as const } : {}),
    };
  };
  return {
    list: (owner, now, { limit, id }) => (id === undefined ? list.all(owner, limit) : one.all(owner, id)).map((r) => shape(r, now)),
  };
}
