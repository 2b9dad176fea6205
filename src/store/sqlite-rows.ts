// The shapes of the rows the SQLite store reads on its own connection (sqlite.ts); the writer's
// are in sqlite-writer.ts.

/** `getRequest`: a request as the sender sees it (no token to check). */
export interface RequestRow {
  public_key: Buffer;
  note: string;
  answered: number;
  expires_at: number;
}

/** `checkRequest`: what requestStatus needs to check a token. */
export interface CheckRow {
  id: string;
  token_hash: Buffer;
  answered: number;
  expires_at: number;
}

export interface MetaRow {
  id: string;
  live: number;
  verifier: Buffer;
  manage_hash: Buffer;
  pp_salt: string | null;
  pp_iterations: number | null;
  views_left: number;
  state: 'pending' | 'consumed' | 'revoked' | 'burned';
  expires_at: number;
  not_before: number | null;
  consumed_at: number | null;
}

/** `getEvidence`: a record, or the stand-in of migration 6 when there is none. */
export interface EvidenceRow {
  ref: Buffer;
  manage_hash: Buffer;
  ciphertext_hash: Buffer;
  created_at: number;
  created_by: string;
  expires_at: number;
  state: 'pending' | 'consumed' | 'revoked' | 'burned' | 'expired';
  views_left: number;
  ended_at: number | null;
  retain_until: number;
  events: number;
}
