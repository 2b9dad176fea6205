// Cloudflare Turnstile on the create page, only on servers configured for it (HUSH_CHALLENGE=
// turnstile). That page's CSP, and no other, allows Cloudflare's origin; Trusted Types stay
// enforced, so the script element gets its URL from a policy that lets through exactly one URL.
// Cloudflare's code then runs beside the plaintext being typed: docs/security.md says what that
// means, and that `pow` keeps every page first-party.
import { scriptUrlPolicy } from './trusted-types.js';

/** The one script loaded from another origin, and only here. */
const TURNSTILE_SCRIPT = 'https://challenges.cloudflare.com/turnstile/v0/api.js?render=explicit';

interface TurnstileApi {
  render(el: HTMLElement, options: { sitekey: string; callback: (token: string) => void; 'expired-callback': () => void }): string;
  reset(id?: string): void;
}

export interface TurnstileWidget {
  /** The token of a solved check; null until solved, after expiry and after reset(). */
  token(): string | null;
  /** Asks for a new check (a token is good for one create). */
  reset(): void;
}

const api = (): TurnstileApi | undefined => (globalThis as { turnstile?: TurnstileApi }).turnstile;

/** The script URL as the DOM takes it: through the `hush-turnstile` policy, which lets through exactly one URL. */
const trustedScriptUrl = scriptUrlPolicy('hush-turnstile', (input) => {
  if (input !== TURNSTILE_SCRIPT) throw new TypeError('refused: not the Turnstile script');
  return input;
});

/** Loads Cloudflare's script and renders the widget into `box`; `onError` when the script fails to load. */
export function loadTurnstile(box: HTMLElement, siteKey: string, onError: () => void): TurnstileWidget {
  let token: string | null = null;
  let widget: string | undefined;
  const script = document.createElement('script');
  script.src = trustedScriptUrl(TURNSTILE_SCRIPT);
  script.async = true;
  script.addEventListener('load', () => {
    widget = api()?.render(box, {
      sitekey: siteKey,
      callback: (t) => {
        token = t;
      },
      'expired-callback': () => {
        token = null;
      },
    });
  });
  script.addEventListener('error', onError);
  document.head.append(script);
  return {
    token: () => token,
    reset() {
      if (widget === undefined) return;
      token = null;
      api()?.reset(widget);
    },
  };
}
