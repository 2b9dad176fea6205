// Security headers sent on every response: pages, API, assets, errors, 404s.

/** Cloudflare Turnstile's origin, and the one script the create page loads from it (HUSH_CHALLENGE=turnstile). */
export const TURNSTILE_ORIGIN = 'https://challenges.cloudflare.com';

/**
 * Nothing by default; each kind of resource the pages use is allowed from this origin only.
 * Workers fall back to script-src, favicons and QR codes are images. Trusted Types: the two
 * policies the pages may create turn Hush's own worker URLs and the build's language files
 * (assets/lang-*.js, each started with its SRI hash) into script URLs.
 */
export const CONTENT_SECURITY_POLICY =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; worker-src 'self'; " +
  "frame-ancestors 'none'; base-uri 'none'; form-action 'self'; require-trusted-types-for 'script'; trusted-types hush-worker hush-i18n";

/**
 * The create page's CSP when Turnstile is on: Cloudflare's script and its widget frame, and a
 * second Trusted Types policy that lets through exactly that script's URL. Every other page and
 * response keeps CONTENT_SECURITY_POLICY: Cloudflare's code runs only where it is needed.
 */
export const TURNSTILE_PAGE_POLICY = CONTENT_SECURITY_POLICY.replace("script-src 'self'", `script-src 'self' ${TURNSTILE_ORIGIN}`)
  .replace("worker-src 'self'", `worker-src 'self'; frame-src ${TURNSTILE_ORIGIN}`)
  .replace('trusted-types hush-worker hush-i18n', 'trusted-types hush-worker hush-i18n hush-turnstile');

// Every powerful feature the pages do not use is denied; the pages only write to the clipboard.
export const PERMISSIONS_POLICY = [
  'accelerometer=()',
  'autoplay=()',
  'camera=()',
  'clipboard-read=()',
  'clipboard-write=(self)',
  'display-capture=()',
  'encrypted-media=()',
  'fullscreen=()',
  'geolocation=()',
  'gyroscope=()',
  'hid=()',
  'idle-detection=()',
  'magnetometer=()',
  'microphone=()',
  'midi=()',
  'payment=()',
  'picture-in-picture=()',
  'publickey-credentials-get=()',
  'screen-wake-lock=()',
  'serial=()',
  'usb=()',
  'xr-spatial-tracking=()',
].join(', ');

export const SECURITY_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'cache-control': 'no-store',
  'strict-transport-security': 'max-age=63072000; includeSubDomains',
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'permissions-policy': PERMISSIONS_POLICY,
  'x-robots-tag': 'noindex, nofollow',
  'x-frame-options': 'DENY',
});
