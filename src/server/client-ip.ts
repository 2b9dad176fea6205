// Who the client is, for rate limits and logs. The socket peer, unless that peer is a trusted
// proxy: then CF-Connecting-IP, else the rightmost untrusted hop of X-Forwarded-For (Fastify's
// trustProxy, backed by proxy-addr). IPv6 clients are grouped by /64, since one host commonly
// holds a whole /64.
import { isIP } from 'node:net';
import type { FastifyRequest } from 'fastify';
import proxyaddr from 'proxy-addr';
import { normalizeIP } from '@fastify/rate-limit';

export type TrustFn = (addr: string) => boolean;

export function compileTrust(trusted: readonly string[]): TrustFn {
  if (trusted.length === 0) return () => false;
  const fn = proxyaddr.compile([...trusted]);
  return (addr) => fn(addr, 0);
}

/** The client's address as Hush believes it (before /64 grouping). */
export function clientAddress(request: FastifyRequest, trust: TrustFn): string {
  const peer = request.socket.remoteAddress ?? '';
  if (trust(peer)) {
    const cf = request.headers['cf-connecting-ip'];
    if (typeof cf === 'string' && isIP(cf.trim()) !== 0) return cf.trim();
  }
  // With trustProxy set to the same list, request.ip is the rightmost untrusted X-Forwarded-For hop.
  return request.ip;
}

/** Rate-limit key of a client: IPv4 as is, IPv4-mapped IPv6 as IPv4, IPv6 masked to /64. */
export function clientKey(request: FastifyRequest, trust: TrustFn): string {
  return normalizeIP(clientAddress(request, trust), 64);
}
