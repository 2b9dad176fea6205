// Who the client is, for rate limits, the human check and logs. The socket peer, unless that peer
// is a trusted proxy: then the one header the operator chose (HUSH_CLIENT_IP_HEADER). By default
// that is X-Forwarded-For, read from the right: the rightmost hop that is not itself a trusted
// proxy (Fastify's trustProxy, backed by proxy-addr), so hops a client wrote itself are never
// reached. Another header (CF-Connecting-IP behind Cloudflare, X-Real-IP behind a proxy that
// sets it) is believed only when chosen: a proxy that passes a client's own copy through would
// otherwise let every request pick its own address. IPv6 clients are grouped by /64, since one
// host commonly holds a whole /64.
import { isIP } from 'node:net';
import type { FastifyRequest } from 'fastify';
import proxyaddr from 'proxy-addr';
import { normalizeIP } from '@fastify/rate-limit';
import { FORWARDED_FOR } from './config.js';


export interface ClientIp {
  /** Whether a socket peer is one of the trusted proxies. */
  trusted(peer: string): boolean;
  /** The client's address as Hush believes it (before /64 grouping). */
  address(request: FastifyRequest): string;
  /** Rate-limit key: IPv4 as is, IPv4-mapped IPv6 as IPv4, IPv6 masked to /64. */
  key(request: FastifyRequest): string;
  /**
   * Fastify's `trustProxy`: which peers' X-Forwarded-For hops are skipped to make `request.ip`;
   * false when no proxy is trusted or another header was chosen (then request.ip is the peer).
   */
  readonly trustProxy: false | ((peer: string) => boolean);
}

function compileTrust(trusted: readonly string[]): (peer: string) => boolean {
  if (trusted.length === 0) return () => false;
  const fn = proxyaddr.compile([...trusted]);
  return (peer) => fn(peer, 0);
}

/**
 * @param header the header naming the client, believed from trusted peers only: `x-forwarded-for`
 *   (Fastify resolves it into `request.ip`) or a header carrying exactly one address.
 */
export function makeClientIp(trustedProxies: readonly string[], header: string): ClientIp {
  const trusted = compileTrust(trustedProxies);
  const address = (request: FastifyRequest): string => {
    // With trustProxy set to the same list, request.ip is the rightmost untrusted X-Forwarded-For
    // hop when the peer is trusted, and the peer otherwise.
    if (header === FORWARDED_FOR) return request.ip;
    const peer = request.socket.remoteAddress ?? '';
    if (!trusted(peer)) return peer;
    const given = request.headers[header];
    const value = typeof given === 'string' ? given.trim() : '';
    // A trusted proxy that did not set it: the proxy's own address, never a guess from elsewhere.
    return isIP(value) !== 0 ? value : peer;
  };
  const trustProxy = trustedProxies.length > 0 && header === FORWARDED_FOR ? trusted : false;
  return { trusted, address, key: (request) => normalizeIP(address(request), 64), trustProxy };
}
