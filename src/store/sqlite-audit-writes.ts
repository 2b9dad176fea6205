// The audit trail's one write on the SQLite store (migration 8): the seal. Like sqlite-writer.ts
// it runs in the writer thread, sent there as source text (sqlite-engine.ts), so it must stay
// self-contained: nothing from outside its body but its parameters (and Buffer, a global).
import type Database from 'better-sqlite3';

export interface AuditWrites {
  seal: (now: number, limit: number, retainMs: number) => { sealed: number; pruned: number };
}

/** The seal, on `db` (the writer's connection); sqlite-writer.ts's makeWriter is given the result. */
export function makeAuditWrites(db: Database.Database, sha256: (text: string) => Uint8Array): AuditWrites {
  const stmt = {
    auditHead: db.prepare<[], { seq: number; hash: string }>(`SELECT seq, hash FROM audit_head WHERE id = 1`),
    auditQueued: db.prepare<[number], { id: number; at: number; type: string; client: string | null }>(`SELECT id, at, type, client FROM audit_pending ORDER BY id LIMIT ?`),
    auditAppend: db.prepare<[number, number, string, string | null, string, string]>(`INSERT INTO audit (seq, at, type, client, prev, hash) VALUES (?, ?, ?, ?, ?, ?)`),
    auditDequeue: db.prepare<[number]>(`DELETE FROM audit_pending WHERE id <= ?`),
    auditSetHead: db.prepare<[number, string]>(`UPDATE audit_head SET seq = ?, hash = ? WHERE id = 1`),
    auditOldest: db.prepare<[number], { seq: number; at: number }>(`SELECT seq, at FROM audit ORDER BY seq LIMIT ?`),
    auditPrune: db.prepare<[number]>(`DELETE FROM audit WHERE seq <= ?`),
  };
  return {
    /**
     * Chains up to `limit` queued audit entries, in queue order (the writer is the file's only
     * writer, so no other sealer can interleave), then prunes the oldest entries while due. The
     * hash input is canonical JSON (docs/protocol.md §10) of {at, client, event, prev, seq}: with
     * the keys written in sorted order and only whole numbers, strings and null, JSON.stringify
     * writes exactly that (src/protocol/audit.ts `auditHashInput`, which this may not import).
     */
    seal: db.transaction((now: number, limit: number, retainMs: number): { sealed: number; pruned: number } => {
      const queued = stmt.auditQueued.all(limit);
      const head = stmt.auditHead.get() ?? { seq: 0, hash: '0'.repeat(64) };
      let { seq, hash } = head;
      for (const q of queued) {
        seq += 1;
        const next = Buffer.from(sha256(JSON.stringify({ at: q.at, client: q.client, event: q.type, prev: hash, seq }))).toString('hex');
        stmt.auditAppend.run(seq, q.at, q.type, q.client, hash, next);
        hash = next;
      }
      const last = queued.at(-1);
      if (last) {
        stmt.auditDequeue.run(last.id);
        stmt.auditSetHead.run(seq, hash);
      }
      let pruned = 0;
      let upTo = 0;
      for (const o of stmt.auditOldest.all(limit)) {
        if (o.at + retainMs > now) break;
        pruned += 1;
        upTo = o.seq;
      }
      if (pruned > 0) stmt.auditPrune.run(upTo);
      return { sealed: queued.length, pruned };
    }),
  };
}
