// `node dist/server/healthcheck.js`: the container's HEALTHCHECK. Exits 0 when the admin
// listener's /readyz answers 200 (the store answers), 1 otherwise. It reads the same two settings
// the server does, so a container that moves the admin listener stays checked; an admin listener on
// every interface (0.0.0.0, ::) is asked on loopback. No curl or wget is needed in the image.
const env = process.env;
const port = env['HUSH_ADMIN_PORT']?.trim() || '8081';
if (port === 'off') {
  process.stderr.write('healthcheck: HUSH_ADMIN_PORT=off, there is no admin listener to ask\n');
  process.exit(1);
}
const configured = env['HUSH_ADMIN_HOST']?.trim() || '127.0.0.1';
const host = configured === '0.0.0.0' ? '127.0.0.1' : configured === '::' ? '[::1]' : configured.includes(':') ? `[${configured}]` : configured;

try {
  const res = await fetch(`http://${host}:${port}/readyz`, { signal: AbortSignal.timeout(4000) });
  if (res.status !== 200) {
    process.stderr.write(`healthcheck: /readyz answered ${String(res.status)}: ${await res.text()}\n`);
    process.exit(1);
  }
} catch (e) {
  process.stderr.write(`healthcheck: no answer from http://${host}:${port}/readyz: ${(e as Error).message}\n`);
  process.exit(1);
}
