// Trusted Types on the pages: the CSP enforces them and allows only the policies it names, so a
// script URL reaches the DOM (a Worker, a <script src>) only through one of them. Their users —
// the crypto worker (crypto.ts), the language files (i18n/index.ts) and Turnstile's script
// (turnstile.ts) — make theirs here.

interface TrustedTypesFactory {
  createPolicy(name: string, rules: { createScriptURL: (input: string) => string }): { createScriptURL(input: string): unknown };
}

/**
 * Hands a script URL to the DOM through the policy `name`, which lets through what `allow` returns
 * and nothing `allow` throws for; the URL as it is in a browser without Trusted Types. The policy
 * is made once (the CSP allows one policy of each name): on first use, or at once with `now`, so
 * that no other script on the page can take the name first.
 */
export function scriptUrlPolicy(name: string, allow: (input: string) => string, now = false): (url: string) => string {
  let policy: { createScriptURL(input: string): unknown } | null = null;
  const tt = (): TrustedTypesFactory | undefined => (globalThis as { trustedTypes?: TrustedTypesFactory }).trustedTypes;
  if (now) policy = tt()?.createPolicy(name, { createScriptURL: allow }) ?? null;
  return (url) => {
    if (tt() === undefined) return url;
    policy ??= tt()!.createPolicy(name, { createScriptURL: allow });
    // A TrustedScriptURL is accepted wherever the DOM types say string.
    return policy.createScriptURL(url) as string;
  };
}
