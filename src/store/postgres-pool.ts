// The PostgreSQL store's connection pool: the schema's migrations applied first (under an
// advisory lock), the pool with the timeouts every Hush call relies on, and failures mapped to
// StoreUnavailableError. postgres.ts holds what the store does with it.
import pg from 'pg';
import { StoreUnavailableError } from './types.js';
import { migrate, SchemaTooNewError } from './postgres-migrations.js';

export interface PostgresOptions {
  /** Schema holding Hush's tables (created when missing); default `public`. */
  schema?: string;
  /** Most connections in the pool (per instance); default 20. */
  maxConnections?: number;
  /** Milliseconds to wait for a connection (new or from the pool); default 2000. */
  connectTimeout?: number;
  /** Milliseconds a statement may take (server-side; the client gives up 250 ms later); default 2000. */
  queryTimeout?: number;
}

/** SQLSTATE classes that mean "the database is not answering normally" rather than a bug. */
const UNAVAILABLE_CLASSES = new Set(['08', '40', '53', '55', '57', '58']);
const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/** A failure as the store throws it: unavailable (503) unless it is an SQL-level error or a schema too new. */
export function toStoreError(err: unknown): unknown {
  if (err instanceof StoreUnavailableError || err instanceof SchemaTooNewError) return err;
  if (err instanceof pg.DatabaseError && !UNAVAILABLE_CLASSES.has((err.code ?? '').slice(0, 2))) return err;
  // Anything that is not an SQL-level error is the connection: refused, reset, timed out, closed.
  const reason = err instanceof Error ? err.message : String(err);
  return new StoreUnavailableError(`PostgreSQL is unavailable: ${reason}`, { cause: err });
}

/** Migrates `options.schema`, then opens the pool (statements time out after `queryTimeout` ms). */
export async function openPool(connectionString: string, options: PostgresOptions, queryTimeout: number): Promise<pg.Pool> {
  const schema = options.schema ?? 'public';
  if (!SCHEMA_NAME.test(schema)) throw new Error(`not a valid schema name: "${schema}" (use a-z, 0-9 and _)`);
  const connectTimeout = options.connectTimeout ?? 2000;
  const base: pg.ClientConfig = {
    connectionString,
    connectionTimeoutMillis: connectTimeout,
    keepAlive: true,
    options: `-c search_path=${schema}`,
    application_name: 'hush',
  };
  try {
    await migrate(base, schema);
  } catch (err) {
    // A database that does not answer is unavailable (503, retry); SQL errors and a schema too new are not.
    throw toStoreError(err);
  }
  const pool = new pg.Pool({
    ...base,
    max: options.maxConnections ?? 20,
    idleTimeoutMillis: 30_000,
    // The server cancels a slow statement itself; the client gives up a little later if the
    // network is gone (no answer at all), so that no request hangs.
    statement_timeout: queryTimeout,
    query_timeout: queryTimeout + 250,
  });
  // An idle connection that breaks (database restart) is dropped by the pool; the error must
  // not crash the process. The next query opens a new connection.
  pool.on('error', () => undefined);
  return pool;
}
