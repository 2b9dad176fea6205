// `hush serve`: the server, configured like `npm start` (HUSH_* variables) plus one flag per
// setting (`--port 8080` or `--port=8080`); flags win. The server modules are loaded only here,
// so the client commands start fast.
import { parseCommand } from './args.js';
import { warn, type Env } from './io.js';

/** Variables of the client commands, which the server's strict check would call unknown. */
const CLIENT_ONLY_ENV = ['HUSH_API_TOKEN', 'HUSH_PASSPHRASE'];

/**
 * Flags whose value is a secret: a command line is visible to other users (ps, /proc) and kept in
 * shell history. Not --api-tokens: it holds SHA-256 hashes of random 256-bit tokens, which give
 * nothing away. Not --webhooks: the receiver checks each event's HMAC (--webhook-secret), so a
 * known URL lets no one forge one. --store only when its URL carries a password.
 */
const SECRET_FLAGS = ['pow-key', 'turnstile-secret', 'webhook-secret', 'origin-lock', 'receipt-key', 'oidc-client-secret', 'session-key'];

function hasPassword(url: string): boolean {
  try {
    return new URL(url).password !== '';
  } catch {
    return false; // not a URL (sqlite:PATH, or a mistake the configuration check reports)
  }
}

/** Says which secret-bearing flags were given, and the variable to use instead. */
function warnSecretFlags(flags: Record<string, string>, settings: readonly SettingInfo[]): void {
  for (const name of Object.keys(flags)) {
    if (!SECRET_FLAGS.includes(name) && !(name === 'store' && hasPassword(flags[name]!))) continue;
    const env = settings.find((s) => s.flag === `--${name}`)?.env ?? 'the environment';
    warn(`warning: --${name} given as an argument is visible in shell history and to other users (ps); prefer ${env}.`);
  }
}

interface SettingInfo {
  env: string;
  flag: string;
  help: string;
}

function serveUsage(settings: readonly SettingInfo[]): string {
  const width = Math.max(...settings.map((s) => s.flag.length)) + 8;
  const lines = settings.map((s) => `  ${`${s.flag} VALUE`.padEnd(width)}${s.env}: ${s.help}`);
  return `Usage: hush serve [--flag VALUE | --flag=VALUE]...

Runs the Hush server until SIGTERM or SIGINT. Every setting is a flag and an environment
variable; flags win. Defaults and details: the Configuration table of the README.

Settings:
${lines.join('\n')}
  ${'-h, --help'.padEnd(width)}this help
`;
}

/** Resolves with null once the server listens (the process then runs until a signal), or an exit code. */
export async function serveCommand(args: string[], env: Env): Promise<number | null> {
  const { SETTINGS } = await import('../server/config.js');
  const options: Record<string, { type: 'string' } | { type: 'boolean'; short: string }> = { help: { type: 'boolean', short: 'h' } };
  for (const s of SETTINGS) options[s.flag.slice(2)] = { type: 'string' };
  const { values } = parseCommand('serve', args, options, 0, serveUsage(SETTINGS));
  const flags: Record<string, string> = {};
  for (const [name, value] of Object.entries(values)) if (typeof value === 'string') flags[name] = value;
  warnSecretFlags(flags, SETTINGS);
  const serverEnv = Object.fromEntries(Object.entries(env).filter(([k]) => !CLIENT_ONLY_ENV.includes(k)));
  const { configOrExit, serve } = await import('../server/serve.js');
  const config = configOrExit(serverEnv, flags);
  try {
    await serve(config);
  } catch (e) {
    process.stderr.write(`hush: could not start: ${(e as Error).message}\n`);
    return 1;
  }
  return null;
}
