// Every failure of a command becomes one line on stderr and an exit code:
// 0 ok; 1 not found, expired, already read, wrong or missing passphrase or age identity; 2 usage;
// 3 anything else.
// Messages are built from error codes and server texts only: never from the secret, a link's
// fragment, a token or a passphrase.
import { ApiError, ClientError, PowError, ProtocolError } from '../client/errors.js';
import { formatTime } from './format.js';
import { oneLine } from './terminal.js';

export const EXIT = { ok: 0, notAvailable: 1, usage: 2, failure: 3 } as const;

/** A failure the CLI itself decided, with its exit code. */
export class CliError extends Error {
  override readonly name = 'CliError';
  readonly exitCode: number;
  constructor(exitCode: number, message: string) {
    super(message);
    this.exitCode = exitCode;
  }
}

export const usageError = (message: string): CliError => new CliError(EXIT.usage, message);

export interface Explained {
  exitCode: number;
  message: string;
}

function fromApi(e: ApiError): Explained {
  switch (e.code) {
    case 'not_found':
      return { exitCode: EXIT.notAvailable, message: e.message };
    case 'wrong_passphrase':
      return {
        exitCode: EXIT.notAvailable,
        message:
          e.attemptsLeft === undefined
            ? 'Wrong passphrase.'
            : `Wrong passphrase: ${String(e.attemptsLeft)} attempt${e.attemptsLeft === 1 ? '' : 's'} left before the secret is destroyed.`,
      };
    case 'not_yet_available':
      return {
        exitCode: EXIT.notAvailable,
        message: e.notBefore === undefined ? e.message : `This secret cannot be opened before ${formatTime(Date.parse(e.notBefore))}.`,
      };
    case 'rate_limited':
      return { exitCode: EXIT.failure, message: e.retryAfter === undefined ? e.message : `${e.message} (retry in ${String(e.retryAfter)} s)` };
    case 'network_error':
    case 'bad_response':
      return { exitCode: EXIT.failure, message: e.message };
    default:
      return { exitCode: EXIT.failure, message: `The server refused (${e.code}): ${e.message}` };
  }
}

function fromProtocol(e: ProtocolError): Explained {
  switch (e.code) {
    case 'expired':
      return {
        exitCode: EXIT.notAvailable,
        message: e.expiredAt === undefined ? 'This secret expired.' : `This secret expired on ${formatTime(e.expiredAt * 1000)}.`,
      };
    case 'invalid_link':
      return { exitCode: EXIT.usage, message: `Not a valid Hush link: ${e.message}.` };
    case 'decryption_failed':
      return { exitCode: EXIT.notAvailable, message: 'Could not decrypt: wrong passphrase, or the link is damaged.' };
    case 'key_mismatch':
      return {
        exitCode: EXIT.notAvailable,
        message:
          'Refusing to send: the public key (or note) the server gave for this request does not match the fingerprint in the link. The server, or someone in between, swapped it. Nothing was sent; ask the requester for a new link.',
      };
    case 'invalid_input':
      return { exitCode: EXIT.usage, message: e.message };
    case 'share_mismatch': // like a wrong key: these shares do not open this secret (docs/protocol.md §15)
      return { exitCode: EXIT.notAvailable, message: e.message };
    case 'unsupported_version':
    case 'malformed_envelope':
    case 'unsafe_parameters':
      return { exitCode: EXIT.failure, message: e.message };
  }
}

function fromClient(e: ClientError): Explained {
  switch (e.code) {
    case 'passphrase_required':
      return {
        exitCode: EXIT.notAvailable,
        message: 'This secret is protected by a passphrase: set HUSH_PASSPHRASE or use --passphrase-file PATH.',
      };
    case 'identity_required': // like a missing passphrase: nothing was sent (docs/protocol.md §14)
    case 'wrong_identity':
    case 'not_enough_shares': // nothing was consumed (docs/protocol.md §15)
      return { exitCode: EXIT.notAvailable, message: e.message };
    case 'invalid_option':
    case 'too_large':
      return { exitCode: EXIT.usage, message: e.message };
    case 'challenge_unsupported':
    case 'challenge_incomplete': // a page's Turnstile widget; the CLI has none, and gets challenge_unsupported
      return { exitCode: EXIT.failure, message: e.message };
  }
}

/** The exit code and the one-line message (without the `hush: ` prefix) for any thrown value. */
export function explain(e: unknown): Explained {
  let out: Explained;
  if (e instanceof CliError) out = { exitCode: e.exitCode, message: e.message };
  else if (e instanceof ApiError) out = fromApi(e);
  else if (e instanceof ProtocolError) out = fromProtocol(e);
  else if (e instanceof ClientError) out = fromClient(e);
  else if (e instanceof PowError) out = { exitCode: EXIT.failure, message: `The server's human check failed: ${e.message}` };
  else out = { exitCode: EXIT.failure, message: `Unexpected error: ${e instanceof Error ? e.message : String(e)}` };
  // One line whose control and bidi characters are shown, not obeyed: server texts are in it.
  return { exitCode: out.exitCode, message: oneLine(out.message) };
}
