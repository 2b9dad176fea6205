// The audit trail's reads on the SQLite store's own connection (migration 8); its one write, the
// seal, is in sqlite-writer.ts. Kept apart so sqlite.ts stays about secrets.
import type Database from 'better-sqlite3';
import type { AuditEntry } from '../protocol/audit.js';

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
