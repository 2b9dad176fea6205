// The create page on a sign-in server (HUSH_CREATE=oidc, docs/protocol.md §13): who is signed in,
// with a Sign out button, or a "Sign in" link to /auth/login in place of the form. The session
// cookie is HttpOnly: the page learns who it is, and the CSRF value its creates must carry, from
// GET /api/v1/session. It never gives the session anything of a secret.
import type { HushApi } from '../client/api.js';
import { ApiError } from '../client/errors.js';
import { announce, byId, setAlert, show } from './dom.js';
import { setMsg } from './i18n/index.js';

export interface SignInMessages {
  signedInAs: (email: string) => string;
  signedOut: string;
  sessionEnded: string;
  staleSession: string;
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

  /** Asks who is signed in (the server runs HUSH_CREATE=oidc), and shows it. */
  async start(): Promise<void> {
    this.#on = true;
    const session = await this.#api.session();
    if (session.signedIn) this.#signedIn(session.email, session.csrf);
    else this.#signedOut(null);
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
