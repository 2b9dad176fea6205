// Split secrets, k of n (docs/protocol.md §15): the content is sealed once in a "vault" (a stored
// secret, one view); its link key is split with Shamir's scheme, and each share travels as its own
// one-time secret. The Shamir arithmetic is shamir-secret-sharing (Privy; audited by Cure53 and
// Zellic; WebCrypto only, so the combine page can run this very file) and is never written here.
import { combine, split } from 'shamir-secret-sharing';
import type { PeekResponse } from '../protocol/api.js';
import { bytesEqual, type Bytes } from '../protocol/bytes.js';
import { formatManageLink, formatSecretLink, formatShareLink, parseShareLink, type ShareLink } from '../protocol/links.js';
import { sealedSize, type ReaderKeys } from '../protocol/secret.js';
import { checkSplitCounts, shareEnvelopeInput, shareFromEnvelope, shareX, splitCommitment, type ShareRecord } from '../protocol/split.js';
import { HushApi, type ServerInfo } from './api.js';
import { ApiError, ClientError, ProtocolError } from './errors.js';
import { createAuth } from './human-check.js';
import { openStoredLink, type OpenedLink } from './open.js';
import type { Needs } from './runner.js';
import { checkSize, type SendOptions } from './send.js';

/**
 * The vault outlives its shares by this much (within the server's longest lifetime), so that a
 * combine started as the last share expires still finds the vault.
 */
export const VAULT_GRACE_SECONDS = 600;

/** Splits a 32-byte vault key into n Shamir shares, any k of which rebuild it. */
export async function splitKey(key: Bytes, k: number, n: number): Promise<Bytes[]> {
  checkSplitCounts(k, n);
  return (await split(new Uint8Array(key), n, k)).map((s) => new Uint8Array(s));
}

const mismatch = (why: string): ProtocolError => new ProtocolError('share_mismatch', why);

/** Every k-element subset of `items`, in order: the first k first. */
function* subsets<T>(items: readonly T[], k: number, start = 0): Generator<T[]> {
  if (k === 0) {
    yield [];
    return;
  }
  for (let i = start; i <= items.length - k; i++) for (const rest of subsets(items, k - 1, i + 1)) yield [items[i]!, ...rest];
}

/**
 * Rebuilds the vault key from share records, and checks it against their commitment before it is
 * used. Records of another vault (or other k, n or commitment) are refused; a share given twice
 * (one x coordinate) counts once. With more than k shares, every k of them are tried in order, so
 * one damaged or forged share among spares does not block the rest.
 * @throws ProtocolError `share_mismatch`; ClientError `not_enough_shares`
 */
export async function recoverKey(records: readonly ShareRecord[]): Promise<{ key: Bytes; used: ShareRecord[] }> {
  const first = records[0];
  if (first === undefined) throw new ClientError('not_enough_shares', 'No shares were given.');
  for (const r of records) {
    if (r.vault !== first.vault || r.k !== first.k || r.n !== first.n || !bytesEqual(r.commitment, first.commitment)) {
      throw mismatch(`these shares belong to different secrets: share ${String(first.index)} of ${String(first.n)} is of secret ${first.vault}, share ${String(r.index)} of ${String(r.n)} of ${r.vault === first.vault ? 'another split of it' : `secret ${r.vault}`}`);
    }
  }
  const distinct = records.filter((r, i) => records.findIndex((o) => shareX(o) === shareX(r)) === i);
  if (distinct.length < first.k) {
    throw new ClientError('not_enough_shares', `This secret needs ${String(first.k)} different shares; ${String(distinct.length)} were given.`);
  }
  for (const used of subsets(distinct, first.k)) {
    const key = new Uint8Array(await combine(used.map((r) => r.share)));
    if (bytesEqual(await splitCommitment(key), first.commitment)) return { key, used };
  }
  throw mismatch('these shares do not rebuild the key of their secret: one of them is damaged or is not a true share of it');
}

export interface SentShare {
  /** 1 … n, the share's label. */
  index: number;
  id: string;
  /** `{origin}/s/{id}#share.{k}.{vault}.{key}`: give each holder one. */
  link: string;
  manageLink: string;
  expiresAt: string;
  views: number;
}

export interface SentSplit {
  k: number;
  n: number;
  /** The stored secret holding the content; its key is in no link, only in the shares. */
  vault: { id: string; manageLink: string; expiresAt: string };
  shares: SentShare[];
}

export type SplitSendOptions = SendOptions & { k: number; n: number };

/**
 * Seals the secret once in a vault (one view) and stores n share secrets, each with `ttl`,
 * `views` and `passphrase` of its own. If any create fails, what was already stored is revoked.
 * @throws ClientError `invalid_option`, `too_large`; ApiError; PowError
 */
export async function sendSplit(options: SplitSendOptions, runner: Needs<'seal' | 'solvePow'>, info?: ServerInfo): Promise<SentSplit> {
  const { k, n } = options;
  try {
    checkSplitCounts(k, n);
  } catch (e) {
    throw new ClientError('invalid_option', e instanceof Error ? e.message : String(e));
  }
  if ((options.recipients ?? []).length > 0) throw new ClientError('invalid_option', 'A split secret cannot be restricted to named recipients.');
  const api = new HushApi(options.server, options.fetch);
  const server = info ?? (await api.info());
  const ttl = options.ttl ?? server.limits.ttlDefault;
  const vaultTtl = Math.max(ttl, Math.min(ttl + VAULT_GRACE_SECONDS, server.limits.ttlMax));
  const nowSec = Math.floor((options.now ?? Date.now)() / 1000);
  const files = options.files ?? [];
  checkSize(sealedSize({ message: options.message, files, expiresAt: nowSec + vaultTtl }), server.limits.maxSize);
  const auth = (): ReturnType<typeof createAuth> => createAuth(api, server, { apiToken: options.apiToken, turnstileToken: options.turnstileToken, csrf: options.csrf, runner });
  const sealed = await runner.seal({ message: options.message, files, expiresAt: nowSec + vaultTtl });
  const vault = await api.create({ ...sealed.body, ttl: vaultTtl, views: 1 }, await auth());
  const origin = server.publicUrl ?? api.base;
  const made = [vault];
  try {
    const commitment = await splitCommitment(sealed.key);
    const pieces = await splitKey(sealed.key, k, n);
    const shares: SentShare[] = [];
    for (const [i, share] of pieces.entries()) {
      const record: ShareRecord = { vault: vault.id, k, n, index: i + 1, share, commitment };
      const body = await runner.seal({
        ...shareEnvelopeInput(record),
        expiresAt: nowSec + ttl,
        ...(options.passphrase === undefined ? {} : { passphrase: options.passphrase }),
      });
      const res = await api.create(
        { ...body.body, ttl, views: options.views ?? 1, ...(options.notBefore === undefined ? {} : { notBefore: options.notBefore }) },
        await auth(),
      );
      made.push(res);
      shares.push({
        index: i + 1,
        id: res.id,
        link: formatShareLink(origin, res.id, body.key, k, vault.id),
        manageLink: formatManageLink(origin, res.id, res.manageToken),
        expiresAt: res.expiresAt,
        views: res.views,
      });
    }
    return { k, n, vault: { id: vault.id, manageLink: formatManageLink(origin, vault.id, vault.manageToken), expiresAt: vault.expiresAt }, shares };
  } catch (e) {
    // Half a split is worse than none: its shares could never be enough, and its vault would wait for nothing.
    await Promise.allSettled(made.map((m) => api.revoke(m.id, m.manageToken)));
    throw e;
  }
}

export interface CombineOptions {
  /** The passphrase the sender put on the shares. */
  passphrase?: string | undefined;
  /** Talk to this server instead of the links' origin. */
  server?: string | undefined;
  fetch?: typeof fetch;
  now?: () => number;
  /** Told of each share as it is used up (consumed), so a caller can say exactly what a failure cost. */
  onShareUsed?: (share: UsedShare) => void;
}

/** A share consumed by a combine: its place among the links given (1-based), its id and, once opened, its record. */
export interface UsedShare {
  position: number;
  id: string;
  record: ShareRecord | null;
}

export interface RecoveredVault {
  k: number;
  n: number;
  vault: string;
  /** `{origin}/s/{vault}#{key}`: the vault's plain link (§5), which opens it once, as any stored secret. */
  vaultLink: string;
  used: UsedShare[];
}

interface Candidate {
  position: number;
  link: ShareLink;
  peek: PeekResponse;
}

/**
 * Parses, de-duplicates and peeks every share link, and refuses before anything is consumed:
 * shares of different secrets, fewer than k still there, a passphrase needed but not given.
 */
async function candidates(links: readonly string[], options: CombineOptions, runner: Needs<'readAuth'>): Promise<{ api: HushApi; origin: string; k: number; live: Candidate[] }> {
  const parsed: { position: number; link: ShareLink }[] = [];
  for (const [i, text] of links.entries()) {
    let link: ShareLink;
    try {
      link = parseShareLink(text);
    } catch (e) {
      throw new ProtocolError('invalid_link', `link ${String(i + 1)}: ${e instanceof Error ? e.message : String(e)}`);
    }
    if (!parsed.some((p) => p.link.id === link.id)) parsed.push({ position: i + 1, link }); // the same share twice counts once
  }
  const first = parsed[0];
  if (first === undefined) throw new ClientError('not_enough_shares', 'No shares were given.');
  const other = parsed.find((p) => p.link.vault !== first.link.vault || p.link.k !== first.link.k);
  if (other !== undefined) throw mismatch(`links ${String(first.position)} and ${String(other.position)} are shares of different secrets: combine the shares of one secret. Nothing was used up.`);
  if (options.server === undefined && parsed.some((p) => p.link.origin !== first.link.origin)) {
    throw new ClientError('invalid_option', 'The share links name different servers; the shares of one secret are all on one server.');
  }
  const api = new HushApi(options.server ?? first.link.origin, options.fetch);
  const peeks = await Promise.allSettled(parsed.map(async (p) => api.peek(p.link.id, await runner.readAuth(p.link.key))));
  const live: Candidate[] = [];
  const gone: number[] = [];
  for (const [i, result] of peeks.entries()) {
    const p = parsed[i]!;
    if (result.status === 'fulfilled') live.push({ ...p, peek: result.value });
    else if (result.reason instanceof ApiError && result.reason.code === 'not_found') gone.push(p.position);
    else throw result.reason;
  }
  const { k } = first.link;
  if (live.length < k) {
    const goneText = gone.length === 0 ? '' : ` (gone — read, expired or revoked: link ${gone.join(', ')})`;
    throw new ClientError('not_enough_shares', `This secret needs ${String(k)} shares; ${String(live.length)} of the ${String(parsed.length)} different shares given can still be opened${goneText}. Nothing was used up.`);
  }
  if (live.some((c) => c.peek.restricted === true)) throw new ClientError('invalid_option', 'A share restricted to named recipients cannot be combined. Nothing was used up.');
  if (options.passphrase === undefined && live.some((c) => c.peek.passphrase !== null)) {
    throw new ClientError('passphrase_required', 'These shares are protected by a passphrase; give it to combine them. Nothing was used up.');
  }
  return { api, origin: first.link.origin, k, live };
}

/**
 * Rebuilds a split secret's key from share links (docs/protocol.md §15), consuming as few shares
 * as it can: every link is peeked first (nothing consumed when fewer than k are there, or they
 * are of different secrets), then k are consumed one by one, and a spare only when one of those
 * turned out gone or damaged. The vault itself is not touched: open `vaultLink` (its peek needs
 * the key, so it cannot be checked sooner).
 * @throws ClientError `not_enough_shares`, `passphrase_required`, `invalid_option`; ProtocolError `share_mismatch`, `invalid_link`; ApiError
 */
export async function recoverVault(links: readonly string[], options: CombineOptions, runner: Needs<'readAuth' | 'readerKeys' | 'openSecret'>): Promise<RecoveredVault> {
  const { api, origin, k, live } = await candidates(links, options, runner);
  const keysOf = (c: Candidate): Promise<ReaderKeys> =>
    runner.readerKeys(c.link.key, c.peek.passphrase === null || options.passphrase === undefined ? undefined : { passphrase: options.passphrase, params: c.peek.passphrase });
  // The first k keys are derived before any share is consumed: unsafe passphrase parameters stop here.
  const ready = await Promise.all(live.slice(0, k).map(keysOf));
  const used: UsedShare[] = [];
  const records: ShareRecord[] = [];
  let failure: Error | null = null;
  for (const [i, c] of live.entries()) {
    if (records.length + live.length - i < k) break; // no longer enough left: consume nothing more
    const keys = ready[i] ?? (await keysOf(c));
    let ciphertext: string;
    try {
      ciphertext = (await api.consume(c.link.id, { auth: keys.auth, ...(keys.passphraseProof === undefined ? {} : { passphraseProof: keys.passphraseProof }) })).ciphertext;
    } catch (e) {
      if (e instanceof ApiError && e.code === 'not_found') continue; // taken since the peek: a spare may stand in
      throw e;
    }
    const share: UsedShare = { position: c.position, id: c.link.id, record: null };
    used.push(share);
    options.onShareUsed?.(share);
    try {
      const record = shareFromEnvelope(await runner.openSecret(keys.encKey, ciphertext, (options.now ?? Date.now)()));
      if (record.vault !== c.link.vault || record.k !== c.link.k) throw mismatch(`link ${String(c.position)} holds a share of another secret than its link names`);
      share.record = record;
      records.push(record);
    } catch (e) {
      if (!(e instanceof ProtocolError)) throw e;
      failure = e; // a damaged or foreign share: a spare may stand in
      continue;
    }
    if (records.length < k) continue;
    try {
      const { key } = await recoverKey(records);
      const { n, vault } = records[0]!;
      return { k, n, vault, vaultLink: formatSecretLink(origin, vault, key), used };
    } catch (e) {
      if (!(e instanceof ProtocolError && e.code === 'share_mismatch') && !(e instanceof ClientError && e.code === 'not_enough_shares')) throw e;
      failure = e; // one of them is not a true share: try again with the next spare
    }
  }
  throw failure ?? new ClientError('not_enough_shares', `This secret needs ${String(k)} shares; only ${String(records.length)} could be opened (the others were taken since they were checked).`);
}

/**
 * Combines shares and opens the vault (one view): the secret, as openLink gives it. A caller that
 * must keep the rebuilt key when opening the vault fails (the shares are used up by then) calls
 * recoverVault and opens `vaultLink` itself, as `hush combine` does.
 */
export async function combineShares(
  links: readonly string[],
  options: CombineOptions,
  runner: Needs<'readAuth' | 'readerKeys' | 'openSecret'>,
): Promise<OpenedLink & { recovered: RecoveredVault }> {
  const recovered = await recoverVault(links, options, runner);
  const opened = await openStoredLink(recovered.vaultLink, { ...(options.server === undefined ? {} : { server: options.server }), ...(options.fetch === undefined ? {} : { fetch: options.fetch }), ...(options.now === undefined ? {} : { now: options.now }) }, runner);
  return { ...opened, recovered };
}
