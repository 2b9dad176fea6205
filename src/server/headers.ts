// Security headers sent on every response: pages, API, assets, errors, 404s.
export const CONTENT_SECURITY_POLICY =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
  "frame-ancestors 'none'; base-uri 'none'; form-action 'self'; require-trusted-types-for 'script'; trusted-types hush-worker";

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

/**
 * The CSP for a configuration: the fixed policy, widened only when Turnstile is on, whose widget
 * must load from Cloudflare.
 */
export function contentSecurityPolicy(config: { challenge: string }): string {
  if (config.challenge !== 'turnstile') return CONTENT_SECURITY_POLICY;
  const cf = 'https://challenges.cloudflare.com';
  return CONTENT_SECURITY_POLICY.replace("script-src 'self'", `script-src 'self' ${cf}`)
    .replace("connect-src 'self'", `connect-src 'self' ${cf}; frame-src ${cf}`)
    .replace("; require-trusted-types-for 'script'; trusted-types hush-worker", '');
}

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
