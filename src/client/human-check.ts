// The human check of a create (docs/protocol.md §6): which proof a create of a secret or a request
// carries, for the pages, the CLI and the library alike.
import type { CreateAuth, HushApi, ServerInfo } from './api.js';
import { ClientError } from './errors.js';
import type { Needs } from './runner.js';

export interface HumanCheckOptions {
  /** An API token: replaces the check (and is rate-limited per token). */
  apiToken?: string | undefined;
  /**
   * The Turnstile widget's answer, for a caller that shows one (the create page): null while it
   * has none yet. Callers without a widget leave it out, and cannot create on a Turnstile server.
   */
  turnstileToken?: string | null | undefined;
  /** A signed-in page's session CSRF value (HUSH_CREATE=oidc): the session replaces the check. */
  csrf?: string | undefined;
  /** Solves the proof-of-work (the pages' worker, or inline). */
  runner: Needs<'solvePow'>;
}

/**
 * Proves the right to create: the API token when given; else a signed-in page's session; else what the server's `challenge.kind`
 * asks for — nothing, a solved proof-of-work, or the Turnstile widget's answer.
 * @throws ClientError `challenge_unsupported` (Turnstile without a widget), `challenge_incomplete`
 * (the widget has no answer yet); PowError; ApiError (fetching the challenge)
 */
export async function createAuth(api: HushApi, info: ServerInfo, options: HumanCheckOptions): Promise<CreateAuth> {
  if (options.apiToken !== undefined) return { apiToken: options.apiToken };
  if (options.csrf !== undefined) return { csrf: options.csrf };
  switch (info.challenge.kind) {
    case 'off':
      return {};
    case 'pow':
      return { challenge: await options.runner.solvePow(await api.challenge()) };
    case 'turnstile':
      if (options.turnstileToken === undefined) {
        throw new ClientError(
          'challenge_unsupported',
          'This server checks for humans with Cloudflare Turnstile, which only works in the browser. Use the web page, or an API token (HUSH_API_TOKEN).',
        );
      }
      if (options.turnstileToken === null) throw new ClientError('challenge_incomplete', 'Complete the human check first.');
      return { challenge: options.turnstileToken };
  }
}
