// `hush login` and `hush logout` (docs/protocol.md §13). Login signs in with the organisation's
// provider by the OAuth 2.0 device authorization grant (RFC 8628), on openid-client: the server
// names the provider and its *public* CLI client (GET /api/v1/info, signIn), the person opens the
// verification address on any device and enters the code shown here, and the ID token the
// provider then gives is traded at the server (POST /api/v1/me/tokens) for a personal API token,
// kept in credentials.json. The ID token is sent to that server only, once, and not kept.
import * as oidc from 'openid-client';
import { HushApi } from '../client/api.js';
import { formatDuration } from '../shared/duration.js';
import { parseCommand } from './args.js';
import { credentialsPath, forgetCredential, saveCredential } from './credentials.js';
import { CliError, EXIT } from './errors.js';
import { formatTime } from './format.js';
import { err } from './io.js';
import { serverFrom } from './send.js';
import { oneLine } from './terminal.js';

/** What the ID token must say: who (sub), the e-mail and whether it is verified, the groups (profile, at most providers). */
const SCOPE = 'openid email profile';
/** Seconds a request to the provider may take. */
const TIMEOUT = 10;
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

const OPTIONS = { server: { type: 'string' }, help: { type: 'boolean', short: 'h' } } as const;

/** What to do where the CLI cannot sign in. */
const instead = (server: string): string =>
  `Instead, sign in at ${server}/ in a browser, press "Make an API token", and give that token to hush as HUSH_API_TOKEN (or --token).`;

/** The innermost message of an error chain. */
function reasonOf(e: unknown): string {
  let x: unknown = e;
  while (x instanceof Error && x.cause instanceof Error) x = x.cause;
  return oneLine(x instanceof Error ? x.message : 'unknown').slice(0, 200);
}

/** The provider the server names: https, or http on this machine only (as the server allows it). */
function issuerOf(raw: string): URL {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    throw new CliError(EXIT.failure, 'the server names a sign-in provider that is not a URL.');
  }
  if (u.protocol !== 'https:' && !(u.protocol === 'http:' && LOOPBACK.has(u.hostname))) {
    throw new CliError(EXIT.failure, `the server names a sign-in provider that is not https (${oneLine(u.origin)}): refused.`);
  }
  return u;
}

/** A refusal or failure of the provider, said plainly. */
function providerFailure(e: unknown, clientId: string): CliError {
  if (e instanceof oidc.ResponseBodyError) {
    switch (e.error) {
      case 'access_denied':
        return new CliError(EXIT.failure, 'the sign-in was refused at the provider (access_denied).');
      case 'expired_token':
        return new CliError(EXIT.failure, 'the code expired before the sign-in was finished: run hush login again.');
      case 'unauthorized_client':
      case 'invalid_client':
      case 'invalid_grant':
        return new CliError(EXIT.failure, `the provider does not let the client "${oneLine(clientId)}" sign in this way (${e.error}): its operator must register it as a public client with the device authorization grant.`);
      default:
        return new CliError(EXIT.failure, `the provider refused the sign-in (${/^[a-z_]{1,40}$/.test(e.error) ? e.error : 'an error'}).`);
    }
  }
  return new CliError(EXIT.failure, `the sign-in failed: ${reasonOf(e)}.`);
}

export async function login(args: string[], env: Record<string, string | undefined>): Promise<number> {
  const { values } = parseCommand('login', args, OPTIONS, 0);
  const server = serverFrom(values.server, env);
  const api = new HushApi(server);
  const info = await api.info();
  const policy = info.policy.create;
  if (policy !== 'oidc') {
    const use = policy === 'open' ? 'hush send works there without signing in.' : policy === 'off' ? 'nobody creates secrets there.' : 'ask its operator for an API token (HUSH_API_TOKEN).';
    throw new CliError(EXIT.failure, `${server} does not sign people in (HUSH_CREATE=${policy}): ${use}`);
  }
  if (info.signIn === undefined) {
    throw new CliError(EXIT.failure, `${server} offers no sign-in for the CLI (its operator has not set HUSH_OIDC_CLI_CLIENT_ID). ${instead(server)}`);
  }
  const { cliClientId } = info.signIn;
  const issuer = issuerOf(info.signIn.issuer);
  // Plain http is allowed for a provider on this machine only (issuerOf).
  // eslint-disable-next-line @typescript-eslint/no-deprecated -- as in src/server/oidc.ts: loopback only
  const insecure = issuer.protocol === 'http:' ? { execute: [oidc.allowInsecureRequests] } : {};
  let config: oidc.Configuration;
  try {
    config = await oidc.discovery(issuer, cliClientId, undefined, oidc.None(), { timeout: TIMEOUT, ...insecure });
  } catch (e) {
    throw new CliError(EXIT.failure, `cannot use the sign-in provider ${oneLine(issuer.href)}: ${reasonOf(e)}.`);
  }
  config.timeout = TIMEOUT;
  if (config.serverMetadata().device_authorization_endpoint === undefined) {
    throw new CliError(EXIT.failure, `the sign-in provider ${oneLine(issuer.origin)} does not offer the device authorization grant, which hush login needs. ${instead(server)}`);
  }
  let device: Awaited<ReturnType<typeof oidc.initiateDeviceAuthorization>>;
  try {
    device = await oidc.initiateDeviceAuthorization(config, { scope: SCOPE });
  } catch (e) {
    throw providerFailure(e, cliClientId);
  }
  // Printed, never opened: the person may sign in on another device (a phone, the laptop next to this server).
  const complete = device.verification_uri_complete;
  await err(
    `To sign in to ${server}, open\n\n    ${oneLine(device.verification_uri)}\n\nand enter the code\n\n    ${oneLine(device.user_code)}\n\n` +
      (complete === undefined ? '' : `(or open ${oneLine(complete)}, which holds the code)\n`) +
      `Waiting for the sign-in (the code is good for ${formatDuration(device.expires_in)})…\n`,
  );
  let tokens: Awaited<ReturnType<typeof oidc.pollDeviceAuthorizationGrant>>;
  try {
    tokens = await oidc.pollDeviceAuthorizationGrant(config, device);
  } catch (e) {
    throw providerFailure(e, cliClientId);
  }
  const idToken = tokens.id_token;
  if (idToken === undefined) throw new CliError(EXIT.failure, 'the provider gave no ID token: hush login needs an OpenID Connect provider.');
  const made = await api.makeUserToken({ idToken });
  const email = tokens.claims()?.email;
  const path = credentialsPath(env);
  await saveCredential(path, server, { token: made.token, expiresAt: made.expiresAt, ...(typeof email === 'string' ? { email } : {}) });
  await err(
    `Signed in to ${server}${typeof email === 'string' ? ` as ${email}` : ''}.\n` +
      `hush send and hush request now use the personal API token kept in ${path} (until ${formatTime(Date.parse(made.expiresAt))});\n` +
      'hush logout forgets it.\n',
  );
  return EXIT.ok;
}

export async function logout(args: string[], env: Record<string, string | undefined>): Promise<number> {
  const { values } = parseCommand('logout', args, OPTIONS, 0);
  const server = serverFrom(values.server, env);
  const forgotten = await forgetCredential(credentialsPath(env), server);
  await err(
    forgotten === null
      ? `No token was kept for ${server}.\n`
      : `Forgot the token kept for ${server}. The server takes it until ${formatTime(Date.parse(forgotten.expiresAt))} all the same (it cannot be\n` +
          `revoked sooner): if it may have been copied, ask the operator to change HUSH_SESSION_KEY, which ends every token and session.\n`,
  );
  return EXIT.ok;
}
