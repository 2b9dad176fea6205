// The one configuration schema of the server. Each setting has an environment variable and a
// `hush serve` flag; values are validated once at start-up, unknown HUSH_* variables are refused,
// and the result is frozen and passed in. Nothing else reads process.env.
import { availableParallelism } from 'node:os';
import { parseStoreUrl, type StoreSpec } from '../store/index.js';
import { parseReceiptKey, parseRetiredKeys } from './receipts.js';
import { ConfigError, DAY, bool, bytes, header, hostName, int, list, oneOf, parseRates, secret, seconds, wrapped, type RateWindow } from './config-parse.js';
import { checkSignIn, parseClientKeyFile, parseDomains, parseGroupLimits, parseGroups, parseIssuer, parseSessionKey, type GroupLimits } from './oidc-settings.js';

/** The default client-address header: the trusted proxy's X-Forwarded-For, rightmost untrusted hop. */
export const FORWARDED_FOR = 'x-forwarded-for';

export { parseRates, type RateWindow };

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
const isLogLevel = (r: string): r is LogLevel => (LOG_LEVELS as readonly string[]).includes(r);

export interface Config {
  readonly host: string;
  readonly port: number;
  /**
   * Origin (optionally with a path) of this server as people reach it: in the links the encrypt
   * API returns and in /api/v1/info, and the host Turnstile tokens must name. Null when not set:
   * no link is then built by the server (never from the Host header).
   */
  readonly publicUrl: string | null;
  /** HUSH_STORE, parsed once here; openStore() opens what it describes. */
  readonly store: StoreSpec;
  /** Server processes sharing the public port (node:cluster); 1 = this process alone, no cluster. */
  readonly workers: number;
  readonly logLevel: LogLevel;
  /** How log lines are written: JSON lines, or pino-pretty's human-readable lines; auto = pretty on a terminal. */
  readonly logFormat: 'auto' | 'json' | 'pretty';
  /** Largest container accepted, in bytes (decoded). */
  readonly maxSize: number;
  readonly ttlMin: number;
  readonly ttlMax: number;
  readonly ttlDefault: number;
  readonly maxViews: number;
  readonly passphraseAttempts: number;
  /** Seconds between purges of expired secrets. */
  readonly purgeInterval: number;
  /** False turns every rate limit off (tests, benchmarks). */
  readonly rateLimit: boolean;
  readonly rateCreate: readonly RateWindow[];
  readonly rateRead: readonly RateWindow[];
  readonly rateFailed: readonly RateWindow[];
  readonly rateToken: readonly RateWindow[];
  /** Peers whose client-address header is believed (addresses, CIDRs, or proxy-addr names such as loopback). */
  readonly trustedProxies: readonly string[];
  /**
   * The header naming the client when the peer is a trusted proxy: `x-forwarded-for` (rightmost
   * untrusted hop) or one carrying a single address, such as `cf-connecting-ip` or `x-real-ip`.
   */
  readonly clientIpHeader: string;
  readonly maxSecrets: number;
  readonly maxBytes: number;
  readonly challenge: 'pow' | 'turnstile' | 'off';
  /** ALTCHA maxnumber: the work is on average half of it in SHA-256 runs. */
  readonly powCost: number;
  /** HMAC key that signs challenges; random per process when empty (set it when running several instances). */
  readonly powKey: string;
  readonly turnstileSiteKey: string;
  readonly turnstileSecret: string;
  readonly turnstileVerifyUrl: string;
  /** SHA-256 hashes (hex) of API tokens that may create without the human check. */
  readonly apiTokens: readonly string[];
  /** Operator-configured endpoints receiving signed events (never supplied by users). */
  readonly webhooks: readonly string[];
  readonly webhookSecret: string;
  readonly requirePassphrase: boolean;
  /** Who may create: anyone, API-token holders, a trusted identity header, people signed in with OpenID Connect, or nobody. */
  readonly createPolicy: 'open' | 'token' | 'identity' | 'oidc' | 'off';
  readonly identityHeader: string;
  /** Sign-in (HUSH_CREATE=oidc, docs/protocol.md §13): the provider's issuer, this client's id and secret. */
  readonly oidcIssuer: string;
  readonly oidcClientId: string;
  readonly oidcClientSecret: string;
  /** PKCS#8 PEM of the private key for private_key_jwt (read from HUSH_OIDC_CLIENT_KEY's file); '' = none. */
  readonly oidcClientKey: string;
  /** E-mail domains (lowercase) a verified e-mail must be in; empty: any. Groups the `groups` claim must share one with; empty: no check. */
  readonly oidcAllowedDomains: readonly string[];
  readonly oidcAllowedGroups: readonly string[];
  /** What members of some groups may create: a shorter longest expiry, a passphrase required. */
  readonly oidcGroupLimits: GroupLimits;
  /** Base64url AES-256 key sealing session cookies; '' = kept in session.key beside a SQLite file, else one per process. */
  readonly sessionKey: string;
  /** Seconds a session lasts without use. */
  readonly sessionIdle: number;
  /** Seconds a personal API token lasts (stateless: only HUSH_SESSION_KEY's rotation ends it sooner). */
  readonly userTokenTtl: number;
  /** The provider's public client of `hush login` (device authorization grant); '' = the CLI does not sign in. */
  readonly oidcCliClientId: string;
  /** Shared secret a reverse proxy or CDN adds; without it public routes answer 403. Empty = off. */
  readonly originLock: string;
  readonly originLockHeader: string;
  readonly adminHost: string;
  /** Port of the admin listener (metrics, health); null = no admin listener. */
  readonly adminPort: number | null;
  /** POST /api/v1/encrypt for integrations that cannot encrypt themselves (the server then sees the plaintext). */
  readonly encryptApi: boolean;
  /** Lifecycle events with client classes, kept for the manage link and receipts (docs/protocol.md §9); off keeps nothing. */
  readonly audit: boolean;
  /** Seconds the evidence of a secret is kept after it was read, burned, revoked or expired. */
  readonly auditRetention: number;
  /** Base64url Ed25519 seed signing receipts; '' = kept in receipt.key beside a SQLite file, else one per process. */
  readonly receiptKey: string;
  /** Public keys (base64url) of earlier receipt keys, still published as retired. */
  readonly receiptRetiredKeys: readonly string[];
  /** Verified recipients (docs/protocol.md §12): the mail server codes go through; null: the feature is off. */
  readonly smtpUrl: string | null;
  readonly mailFrom: string;
  /** HMAC key of recipient hashes and codes; '' = kept in recipient.key beside a SQLite file. */
  readonly recipientKey: string;
}

interface Setting<K extends keyof Config> {
  key: K;
  env: string;
  flag: string;
  default: Config[K];
  help: string;
  parse: (raw: string) => Config[K];
}

export const SETTINGS = [
  { key: 'host', env: 'HUSH_HOST', flag: '--host', default: '127.0.0.1', help: 'address to listen on', parse: hostName },
  { key: 'port', env: 'HUSH_PORT', flag: '--port', default: 8080, help: 'TCP port (0 picks a free one)', parse: int(0, 65_535) },
  { key: 'publicUrl', env: 'HUSH_PUBLIC_URL', flag: '--public-url', default: null, help: 'origin used in links, e.g. https://hush.example.com', parse: (r: string) => {
    let u: URL;
    try {
      u = new URL(r);
    } catch {
      throw new ConfigError(`not a URL: "${r}"`);
    }
    if (u.protocol !== 'https:' && u.protocol !== 'http:') throw new ConfigError('must start with https:// or http://');
    if (u.search !== '' || u.hash !== '' || u.username !== '' || u.password !== '') throw new ConfigError('must be an origin with an optional path, nothing else');
    return (u.origin + u.pathname).replace(/\/+$/, '');
  } },
  { key: 'store', env: 'HUSH_STORE', flag: '--store', default: parseStoreUrl('sqlite:./data/hush.db'), help: 'where secrets live: sqlite:PATH, postgres://USER@HOST:PORT/DB[?schema=NAME] or redis://HOST:PORT/DB[?prefix=P] (rediss:// for TLS)', parse: (r: string) => {
    try {
      return parseStoreUrl(r);
    } catch (e) {
      throw new ConfigError((e as Error).message);
    }
  } },
  { key: 'workers', env: 'HUSH_WORKERS', flag: '--workers', default: 1, help: 'server processes sharing the one port: 1 to 64, or auto (one per core, at most 64)', parse: (r: string) => {
    if (r.trim() === 'auto') return Math.min(64, availableParallelism());
    if (!/^\s*[0-9]{1,3}\s*$/.test(r) || Number(r) < 1 || Number(r) > 64) throw new ConfigError(`expected a number of processes from 1 to 64, or auto, got "${r}"`);
    return Number(r);
  } },
  { key: 'logLevel', env: 'HUSH_LOG_LEVEL', flag: '--log-level', default: 'info', help: LOG_LEVELS.join(', '), parse: (r: string) => {
    if (!isLogLevel(r)) throw new ConfigError(`must be one of ${LOG_LEVELS.join(', ')}`);
    return r;
  } },
  { key: 'logFormat', env: 'HUSH_LOG_FORMAT', flag: '--log-format', default: 'auto', help: 'auto (pretty on a terminal, JSON lines otherwise), json or pretty', parse: oneOf(['auto', 'json', 'pretty'] as const) },
  { key: 'maxSize', env: 'HUSH_MAX_SIZE', flag: '--max-size', default: 10 * 1024 * 1024, help: 'largest encrypted secret, message and files together (bytes, KiB, MiB)', parse: bytes(1024, 64 * 1024 ** 2) },
  { key: 'ttlMin', env: 'HUSH_TTL_MIN', flag: '--ttl-min', default: 60, help: 'shortest lifetime', parse: seconds(1, 365 * DAY) },
  { key: 'ttlMax', env: 'HUSH_TTL_MAX', flag: '--ttl-max', default: 30 * DAY, help: 'longest lifetime', parse: seconds(1, 365 * DAY) },
  { key: 'ttlDefault', env: 'HUSH_TTL_DEFAULT', flag: '--ttl-default', default: DAY, help: 'lifetime when none is asked for', parse: seconds(1, 365 * DAY) },
  { key: 'maxViews', env: 'HUSH_MAX_VIEWS', flag: '--max-views', default: 100, help: 'most views one secret may allow', parse: int(1, 10_000) },
  { key: 'passphraseAttempts', env: 'HUSH_PASSPHRASE_ATTEMPTS', flag: '--passphrase-attempts', default: 5, help: 'wrong passphrases before a secret is burned', parse: int(1, 100) },
  { key: 'purgeInterval', env: 'HUSH_PURGE_INTERVAL', flag: '--purge-interval', default: 60, help: 'time between purges of expired secrets', parse: seconds(1, DAY) },
  { key: 'rateLimit', env: 'HUSH_RATE_LIMIT', flag: '--rate-limit', default: true, help: 'on, or off to turn every rate limit off', parse: bool },
  { key: 'rateCreate', env: 'HUSH_RATE_CREATE', flag: '--rate-create', default: parseRates('10/min,100/h'), help: 'creates per client', parse: parseRates },
  { key: 'rateRead', env: 'HUSH_RATE_READ', flag: '--rate-read', default: parseRates('60/min'), help: 'peeks and consumes per client', parse: parseRates },
  { key: 'rateFailed', env: 'HUSH_RATE_FAILED', flag: '--rate-failed', default: parseRates('30/min'), help: 'failed reads (404, wrong passphrase) per client', parse: parseRates },
  { key: 'rateToken', env: 'HUSH_RATE_TOKEN', flag: '--rate-token', default: parseRates('600/min'), help: 'creates per API token', parse: parseRates },
  { key: 'trustedProxies', env: 'HUSH_TRUSTED_PROXIES', flag: '--trusted-proxies', default: [], help: 'comma list of proxy addresses/CIDRs whose forwarding headers are believed', parse: (r: string) => {
    const items = list(r);
    for (const item of items) {
      if (!/^[0-9a-fA-F.:/]+$/.test(item) && !['loopback', 'linklocal', 'uniquelocal'].includes(item)) throw new ConfigError(`not an address or CIDR: "${item}"`);
    }
    return items;
  } },
  { key: 'clientIpHeader', env: 'HUSH_CLIENT_IP_HEADER', flag: '--client-ip-header', default: FORWARDED_FOR, help: 'header a trusted proxy names the client in: x-forwarded-for, or one holding a single address (cf-connecting-ip, x-real-ip)', parse: header },
  { key: 'maxSecrets', env: 'HUSH_MAX_SECRETS', flag: '--max-secrets', default: 100_000, help: 'most live secrets stored at once', parse: int(1, 1_000_000_000) },
  { key: 'maxBytes', env: 'HUSH_MAX_BYTES', flag: '--max-bytes', default: 1024 ** 3, help: 'most ciphertext bytes stored at once', parse: bytes(1024, 1024 ** 4) },
  { key: 'challenge', env: 'HUSH_CHALLENGE', flag: '--challenge', default: 'pow', help: 'human check on create: pow, turnstile or off', parse: oneOf(['pow', 'turnstile', 'off'] as const) },
  { key: 'powCost', env: 'HUSH_POW_COST', flag: '--pow-cost', default: 50_000, help: 'proof-of-work difficulty (ALTCHA maxnumber)', parse: int(1_000, 10_000_000) },
  { key: 'powKey', env: 'HUSH_POW_KEY', flag: '--pow-key', default: '', help: 'HMAC key signing challenges (same on every instance)', parse: secret(16) },
  { key: 'turnstileSiteKey', env: 'HUSH_TURNSTILE_SITE_KEY', flag: '--turnstile-site-key', default: '', help: 'Cloudflare Turnstile site key', parse: secret(1) },
  { key: 'turnstileSecret', env: 'HUSH_TURNSTILE_SECRET', flag: '--turnstile-secret', default: '', help: 'Cloudflare Turnstile secret key', parse: secret(1) },
  { key: 'turnstileVerifyUrl', env: 'HUSH_TURNSTILE_VERIFY_URL', flag: '--turnstile-verify-url', default: 'https://challenges.cloudflare.com/turnstile/v0/siteverify', help: 'siteverify endpoint', parse: (r: string) => {
    try {
      return new URL(r).href;
    } catch {
      throw new ConfigError(`not a URL: "${r}"`);
    }
  } },
  { key: 'apiTokens', env: 'HUSH_API_TOKENS', flag: '--api-tokens', default: [], help: 'comma list of sha256:HEX hashes of API tokens (hush token makes one)', parse: (r: string) =>
    list(r).map((t) => {
      const m = /^sha256:([0-9a-f]{64})$/.exec(t.toLowerCase());
      if (!m) throw new ConfigError('each API token must be given as sha256:<64 hex digits> (run "hush token" to make one)');
      return m[1]!;
    }) },
  { key: 'requirePassphrase', env: 'HUSH_REQUIRE_PASSPHRASE', flag: '--require-passphrase', default: false, help: 'refuse secrets without a passphrase', parse: bool },
  { key: 'createPolicy', env: 'HUSH_CREATE', flag: '--create', default: 'open', help: 'who may create: open, token, identity, oidc or off', parse: oneOf(['open', 'token', 'identity', 'oidc', 'off'] as const) },
  { key: 'identityHeader', env: 'HUSH_IDENTITY_HEADER', flag: '--identity-header', default: 'x-forwarded-user', help: 'header an authenticating proxy sets (HUSH_CREATE=identity)', parse: header },
  { key: 'oidcIssuer', env: 'HUSH_OIDC_ISSUER', flag: '--oidc-issuer', default: '', help: 'OpenID Connect provider (issuer URL) people sign in with (HUSH_CREATE=oidc)', parse: (r: string) => wrapped(parseIssuer, r) },
  { key: 'oidcClientId', env: 'HUSH_OIDC_CLIENT_ID', flag: '--oidc-client-id', default: '', help: 'client id of this server at the provider', parse: secret(1) },
  { key: 'oidcClientSecret', env: 'HUSH_OIDC_CLIENT_SECRET', flag: '--oidc-client-secret', default: '', help: 'client secret at the provider (none: a public client, PKCE only)', parse: secret(1) },
  { key: 'oidcClientKey', env: 'HUSH_OIDC_CLIENT_KEY', flag: '--oidc-client-key', default: '', help: 'file of a private key (PKCS#8 PEM: EC P-256, RSA, Ed25519) to authenticate to the provider with a signed JWT (private_key_jwt) instead of a secret', parse: (r: string) => wrapped(parseClientKeyFile, r) },
  { key: 'oidcAllowedDomains', env: 'HUSH_OIDC_ALLOWED_DOMAINS', flag: '--oidc-allowed-domains', default: [], help: 'comma list of e-mail domains a verified e-mail must be in (empty: any verified e-mail)', parse: (r: string) => wrapped(parseDomains, r) },
  { key: 'oidcAllowedGroups', env: 'HUSH_OIDC_ALLOWED_GROUPS', flag: '--oidc-allowed-groups', default: [], help: 'comma list of groups, one of which the groups claim must hold (empty: no group check)', parse: (r: string) => wrapped(parseGroups, r) },
  { key: 'oidcGroupLimits', env: 'HUSH_OIDC_GROUP_LIMITS', flag: '--oidc-group-limits', default: {}, help: 'what members of a group may create: GROUP=ttl:SECONDS passphrase; GROUP=… (the strictest of a member\'s groups)', parse: (r: string) => wrapped(parseGroupLimits, r) },
  { key: 'sessionKey', env: 'HUSH_SESSION_KEY', flag: '--session-key', default: '', help: 'AES-256 key (32 bytes, base64url) sealing session cookies; same on every instance', parse: (r: string) => wrapped(parseSessionKey, r) },
  { key: 'sessionIdle', env: 'HUSH_SESSION_IDLE', flag: '--session-idle', default: 30 * 60, help: 'how long a session lasts without use (at most 12h, its whole life)', parse: seconds(60, 12 * 3600) },
  { key: 'userTokenTtl', env: 'HUSH_USER_TOKEN_TTL', flag: '--user-token-ttl', default: 30 * DAY, help: 'how long a personal API token (made signed in, or by hush login) lasts; it cannot be revoked sooner', parse: seconds(60, 365 * DAY) },
  { key: 'oidcCliClientId', env: 'HUSH_OIDC_CLI_CLIENT_ID', flag: '--oidc-cli-client-id', default: '', help: 'public client id at the provider for hush login (device authorization grant); unset: the CLI does not sign in', parse: secret(1) },
  { key: 'originLock', env: 'HUSH_ORIGIN_LOCK', flag: '--origin-lock', default: '', help: 'shared secret the proxy/CDN adds; required on public routes when set', parse: secret(16) },
  { key: 'originLockHeader', env: 'HUSH_ORIGIN_LOCK_HEADER', flag: '--origin-lock-header', default: 'x-hush-origin-lock', help: 'header carrying the origin lock', parse: header },
  { key: 'adminHost', env: 'HUSH_ADMIN_HOST', flag: '--admin-host', default: '127.0.0.1', help: 'address of the admin listener (metrics, health, audit trail export)', parse: hostName },
  { key: 'encryptApi', env: 'HUSH_ENCRYPT_API', flag: '--encrypt-api', default: false, help: 'POST /api/v1/encrypt for API-token holders (the server sees the plaintext)', parse: bool },
  { key: 'webhooks', env: 'HUSH_WEBHOOKS', flag: '--webhooks', default: [], help: 'comma list of http(s) URLs that receive signed read/burn/revoke/expiry events, at least once, from a durable outbox (operator-chosen only)', parse: (r: string) =>
    list(r).map((u) => {
      let url: URL;
      try {
        url = new URL(u);
      } catch {
        throw new ConfigError('each webhook must be an http(s) URL');
      }
      if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new ConfigError('each webhook must be an http(s) URL');
      return url.href;
    }) },
  { key: 'webhookSecret', env: 'HUSH_WEBHOOK_SECRET', flag: '--webhook-secret', default: '', help: 'HMAC-SHA256 key signing webhook events (at least 32 characters)', parse: secret(32) },
  { key: 'audit', env: 'HUSH_AUDIT', flag: '--audit', default: true, help: 'keep what happened to each secret (events with a client class, no address or user agent); off keeps nothing', parse: bool },
  { key: 'auditRetention', env: 'HUSH_AUDIT_RETENTION', flag: '--audit-retention', default: 7 * DAY, help: 'how long that history outlives the secret, and an entry stays in the operators\' audit trail', parse: seconds(60, 365 * DAY) },
  { key: 'receiptKey', env: 'HUSH_RECEIPT_KEY', flag: '--receipt-key', default: '', help: 'Ed25519 seed (32 bytes, base64url) signing receipts; same on every instance', parse: (r: string) => wrapped(parseReceiptKey, r) },
  { key: 'receiptRetiredKeys', env: 'HUSH_RECEIPT_RETIRED_KEYS', flag: '--receipt-retired-keys', default: [], help: 'comma list of earlier receipt public keys (base64url), still published as retired', parse: (r: string) => wrapped(parseRetiredKeys, r) },
  { key: 'smtpUrl', env: 'HUSH_SMTP_URL', flag: '--smtp-url', default: null, help: 'mail server for recipient codes, smtp://user:pass@host:587 or smtps://…:465; unset: no verified recipients', parse: (r: string) => {
    if (!/^smtps?:\/\/[^\s/]+(:\d+)?\/?(\?\S*)?$/.test(r)) throw new ConfigError('must be smtp://[user:pass@]host[:port] or smtps://…');
    return r;
  } },
  { key: 'mailFrom', env: 'HUSH_MAIL_FROM', flag: '--mail-from', default: '', help: 'sender of recipient codes, e.g. "Hush <hush@example.com>"', parse: (r: string) => {
    if (!/^[^\r\n]{0,200}[^\s@<>]+@[^\s@<>]+>?$/.test(r)) throw new ConfigError('must be an address, or "Name <address>"');
    return r;
  } },
  { key: 'recipientKey', env: 'HUSH_RECIPIENT_KEY', flag: '--recipient-key', default: '', help: 'HMAC key of recipient hashes and codes (at least 32 characters); same on every instance', parse: secret(32) },
  { key: 'adminPort', env: 'HUSH_ADMIN_PORT', flag: '--admin-port', default: 8081, help: 'port of the admin listener, or off', parse: (r: string) => (r.trim() === 'off' ? null : int(0, 65_535)(r)) },
] as const satisfies readonly Setting<keyof Config>[];

export const DEFAULT_CONFIG: Config = Object.freeze(
  Object.fromEntries(SETTINGS.map((s) => [s.key, s.default])) as unknown as Config,
);

/** Variables read by the CLI client, not by the server; allowed beside the server's. */
const CLIENT_ENV = new Set(['HUSH_SERVER', 'HUSH_API_TOKEN', 'HUSH_PASSPHRASE']);

/**
 * Builds the configuration from the environment, then flags (flags win), then explicit
 * overrides (for tests). Throws an Error whose message names the variable or flag and the problem.
 */
export function loadConfig(
  env: Record<string, string | undefined> = {},
  flags: Record<string, string | undefined> = {},
  overrides: Partial<Config> = {},
): Config {
  const known = new Set<string>(SETTINGS.map((s) => s.env));
  const unknown = Object.keys(env).filter((k) => k.startsWith('HUSH_') && !known.has(k) && !CLIENT_ENV.has(k));
  if (unknown.length > 0) throw new Error(`unknown setting ${unknown.join(', ')} (see docs/configuration in the README)`);
  const out: Record<string, unknown> = { ...DEFAULT_CONFIG };
  for (const s of SETTINGS) {
    for (const [source, raw] of [[s.env, env[s.env]], [s.flag, flags[s.flag.slice(2)]]] as const) {
      if (raw === undefined || raw === '') continue;
      try {
        out[s.key] = s.parse(raw);
      } catch (e) {
        throw new Error(`${source}: ${(e as Error).message}`);
      }
    }
  }
  Object.assign(out, overrides);
  const c = out as unknown as Config;
  if (c.ttlMin > c.ttlMax) throw new Error(`HUSH_TTL_MIN (${String(c.ttlMin)}s) is above HUSH_TTL_MAX (${String(c.ttlMax)}s)`);
  if (c.ttlDefault < c.ttlMin || c.ttlDefault > c.ttlMax) {
    throw new Error(`HUSH_TTL_DEFAULT (${String(c.ttlDefault)}s) must lie between HUSH_TTL_MIN and HUSH_TTL_MAX`);
  }
  if (c.challenge === 'turnstile' && (c.turnstileSiteKey === '' || c.turnstileSecret === '')) {
    throw new Error('HUSH_CHALLENGE=turnstile needs HUSH_TURNSTILE_SITE_KEY and HUSH_TURNSTILE_SECRET');
  }
  if (c.webhooks.length > 0 && c.webhookSecret === '') throw new Error('HUSH_WEBHOOKS needs HUSH_WEBHOOK_SECRET (at least 32 characters) to sign events');
  if (c.encryptApi && c.apiTokens.length === 0) throw new Error('HUSH_ENCRYPT_API=on needs at least one HUSH_API_TOKENS entry');
  // Links are never built from the Host header, which a client (or a proxy passing it) chooses.
  if (c.encryptApi && c.publicUrl === null) throw new Error('HUSH_ENCRYPT_API=on needs HUSH_PUBLIC_URL: the links it returns are built from it, never from the Host header');
  // Turnstile answers name the site the widget was solved on; it is checked against this one.
  if (c.challenge === 'turnstile' && c.publicUrl === null) {
    throw new Error('HUSH_CHALLENGE=turnstile needs HUSH_PUBLIC_URL: Turnstile tokens are accepted only when solved on its host name');
  }
  if (c.clientIpHeader !== FORWARDED_FOR && c.trustedProxies.length === 0) {
    throw new Error('HUSH_CLIENT_IP_HEADER is believed only from HUSH_TRUSTED_PROXIES: set the proxies that write it');
  }
  if (c.createPolicy === 'token' && c.apiTokens.length === 0) throw new Error('HUSH_CREATE=token needs at least one HUSH_API_TOKENS entry');
  if (c.createPolicy === 'identity' && c.trustedProxies.length === 0) {
    throw new Error('HUSH_CREATE=identity needs HUSH_TRUSTED_PROXIES: the identity header is believed only from a trusted proxy');
  }
  checkSignIn(c);
  if (c.smtpUrl !== null && c.mailFrom === '') throw new Error('HUSH_SMTP_URL needs HUSH_MAIL_FROM: the sender of the codes');
  // Each process would hash recipients with a key of its own: a listed address would match on no other instance.
  if (c.smtpUrl !== null && c.store.kind !== 'sqlite' && c.recipientKey === '') {
    throw new Error('HUSH_SMTP_URL on a shared store needs HUSH_RECIPIENT_KEY, the same on every instance (openssl rand -base64 32)');
  }
  if (c.workers > 1 && c.store.kind === 'sqlite' && c.store.path === ':memory:') throw new Error('HUSH_WORKERS above 1 needs a store every process shares: sqlite::memory: is one process\'s own');
  if (c.adminPort !== null && c.adminPort !== 0 && c.adminPort === c.port && c.adminHost === c.host) {
    throw new Error('HUSH_ADMIN_PORT must differ from HUSH_PORT: admin routes never share the public listener');
  }
  return Object.freeze(c);
}

/** Whether this server signs people in (HUSH_CREATE=oidc; checkSignIn made sure it has HUSH_PUBLIC_URL). */
export const hasSignIn = (c: Pick<Config, 'createPolicy' | 'publicUrl'>): boolean => c.createPolicy === 'oidc' && c.publicUrl !== null;

/**
 * Whether this server verifies recipients (docs/protocol.md §12): with a mail server, or with
 * sign-in — on a shared store only with HUSH_RECIPIENT_KEY (each process would hash with a key of
 * its own), so that an existing sign-in deployment without it is not stopped, only left without.
 */
export const verifiesRecipients = (c: Pick<Config, 'smtpUrl' | 'createPolicy' | 'publicUrl' | 'store' | 'recipientKey'>): boolean =>
  c.smtpUrl !== null || (hasSignIn(c) && (c.store.kind === 'sqlite' || c.recipientKey !== ''));
