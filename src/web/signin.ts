// The create page on a sign-in server (HUSH_CREATE=oidc, docs/protocol.md §13): who is signed in,
// with a Sign out button, or a "Sign in" link to /auth/login in place of the form. The session
// cookie is HttpOnly: the page learns who it is, and the CSRF value its creates must carry, from
// GET /api/v1/session. It never gives the session anything of a secret. Signed in, "Make an API
// token" asks for a personal API token (POST /api/v1/me/tokens) and shows it once, with a copy
// button and its expiry; the page forgets it when it is left.
import type { HushApi } from '../client/api.js';
import { ApiError } from '../client/errors.js';
import { announce, busy, byId, setAlert, show, wireCopyButton } from './dom.js';
import { describeError, formatWhen } from './format.js';
import { setMsg } from './i18n/index.js';

export interface SignInMessages {
  signedInAs: (email: string) => string;
  signedOut: string;
  sessionEnded: string;
  staleSession: string;
  makingToken: string;
  token: string;
  tokenExpires: (when: string) => string;
}

export class SignIn {
  readonly #api: HushApi;
  readonly #m: () => SignInMessages;
  readonly #form: HTMLElement;
  #on = false;
  #csrf: string | undefined;

  constructor(api: HushApi, m: () => SignInMessages, form: HTMLElement) {
    this.#api = api;
    this.#m = m;
    this.#form = form;
    this.#wireToken();
    const signOut = byId('sign-out', HTMLButtonElement);
    signOut.addEventListener('click', () => {
      signOut.disabled = true;
      void this.#signOut().finally(() => {
        signOut.disabled = false;
      });
    });
  }

  /** The session's CSRF value for a create, while signed in. */
  get csrf(): string | undefined {
    return this.#csrf;
  }

  /** Asks who is signed in (the server runs HUSH_CREATE=oidc), and shows it; answers what the person's groups limit (HUSH_OIDC_GROUP_LIMITS). */
  async start(): Promise<{ ttl?: number; passphrase?: true } | undefined> {
    this.#on = true;
    const session = await this.#api.session();
    if (session.signedIn) this.#signedIn(session.email, session.csrf);
    else this.#signedOut(null);
    return session.signedIn ? session.limits : undefined;
  }

  /** "Make an API token": asks the server for one with the session (and its CSRF value), and shows it once. */
  #wireToken(): void {
    const make = byId('make-token', HTMLButtonElement);
    const value = byId('token-value', HTMLInputElement);
    const resetCopy = wireCopyButton(byId('copy-token', HTMLButtonElement), () => value, () => this.#m().token);
    make.addEventListener('click', () => {
      setAlert(byId('token-error'), null);
      void busy(make, this.#m().makingToken, () => this.#makeToken()).then(
        (made) => {
          if (made === null) return;
          resetCopy();
          value.value = made.token;
          setMsg(byId('token-meta'), () => this.#m().tokenExpires(formatWhen(made.expiresAt)));
          show(byId('token-box'));
          byId('token-title').focus();
        },
        (err: unknown) => setAlert(byId('token-error'), () => describeError(err)),
      );
    });
    // A token on the page stays there no longer than the page: not in the back/forward cache.
    addEventListener('pagehide', () => this.#forgetToken());
  }

  /** A new token, or null when the session turned out to have ended (the "Sign in" link then shows). */
  async #makeToken(): Promise<{ token: string; expiresAt: string } | null> {
    for (let attempt = 0; ; attempt++) {
      const csrf = this.#csrf;
      if (csrf === undefined) return null;
      try {
        return await this.#api.makeUserToken({ csrf });
      } catch (err) {
        // A stale CSRF value (the session was renewed elsewhere): fetched again, and tried once more.
        if (attempt === 0 && err instanceof ApiError && err.code === 'csrf_failed') {
          await this.start();
          continue;
        }
        if (await this.handles(err, byId('token-error'))) return null;
        throw err;
      }
    }
  }

  #forgetToken(): void {
    byId('token-value', HTMLInputElement).value = '';
    show(byId('token-box'), false);
  }

  #signedIn(email: string, csrf: string): void {
    this.#csrf = csrf;
    setMsg(byId('signed-in-as'), () => this.#m().signedInAs(email));
    show(byId('account'));
    show(byId('sign-in'), false);
  }

  /** The form gives way to the "Sign in" link; `note` says why, when the session ended under way. */
  #signedOut(note: (() => string) | null): void {
    this.#csrf = undefined;
    this.#forgetToken();
    setAlert(byId('token-error'), null);
    show(byId('account'), false);
    show(this.#form, false);
    show(byId('result'), false);
    setAlert(byId('sign-in-note'), note);
    show(byId('sign-in'));
  }

  async #signOut(): Promise<void> {
    const csrf = this.#csrf;
    if (csrf !== undefined) {
      try {
        await this.#api.logout(csrf);
      } catch {
        // Signed out anyway below: at worst the cookie runs out at its idle timeout.
      }
    }
    this.#signedOut(null);
    announce(this.#m().signedOut);
    byId('sign-in-link').focus();
  }

  /**
   * A create refused because of the sign-in: true when handled here. 401: the session ended (the
   * "Sign in" link shows, saying so); csrf_failed: the page's CSRF value was stale (it is fetched
   * again, and the person asked to press Create link again).
   */
  async handles(err: unknown, errorBox: HTMLElement): Promise<boolean> {
    if (!this.#on || !(err instanceof ApiError)) return false;
    if (err.code === 'unauthorized' && err.status === 401) {
      this.#signedOut(() => this.#m().sessionEnded);
      byId('sign-in-link').focus();
      return true;
    }
    if (err.code === 'csrf_failed') {
      await this.start();
      if (this.#csrf !== undefined) setAlert(errorBox, () => this.#m().staleSession);
      return true;
    }
    return false;
  }
}
