// Request bodies: how large each route's may be, and a JSON parser that refuses nesting deeper
// than the protocol ever uses before it builds anything.
//
// A body's cost is paid before validation: reading it, JSON.parse building its objects, and the
// prototype-poisoning scan walking them. One large body sent to a route that needs a few hundred
// bytes (a 13.8 MB `{"auth":[[[[…]]]]}` to a peek) held the event loop for seconds and took
// ~800 MB. So only the routes that carry a ciphertext accept up to HUSH_MAX_SIZE; every other
// route takes SMALL_BODY_LIMIT, and every route's JSON is depth-checked by a linear scan first.
import type { FastifyInstance } from 'fastify';
import { HttpError } from './errors.js';

/**
 * Bodies of routes that carry no ciphertext (peek, consume, status, revoke, pickup, cancel,
 * request create, …). The largest is a request create: a 65-byte key and a note of at most 500
 * characters, which JSON may write as 12 bytes each (an astral character as two \u escapes):
 * 6.2 KiB in all.
 */
export const SMALL_BODY_LIMIT = 8 * 1024;

/**
 * Deepest nesting accepted. The protocol's deepest body is two levels (a create body and its
 * `passphrase` object); anything past this is not a Hush request.
 */
export const MAX_JSON_DEPTH = 4;

/** Body limit of a route carrying a ciphertext of up to `maxSize` bytes: base64url (4/3) plus the JSON around it. */
export const ciphertextBodyLimit = (maxSize: number): number => Math.ceil((maxSize * 4) / 3) + 16 * 1024;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACE = 0x7d;
const CLOSE_BRACKET = 0x5d;

/**
 * Whether `text` nests objects and arrays deeper than `max`, brackets inside strings not counted.
 * Linear, and fast on long strings: it jumps from one quote to the next with indexOf instead of
 * looking at each character of a ciphertext. Malformed JSON is left to the parser.
 */
export function nestsDeeperThan(text: string, max: number): boolean {
  let depth = 0;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      // Skip to the closing quote: one not preceded by an odd run of backslashes.
      let end = text.indexOf('"', i + 1);
      while (end !== -1) {
        let slashes = 0;
        while (text.charCodeAt(end - 1 - slashes) === BACKSLASH) slashes++;
        if (slashes % 2 === 0) break;
        end = text.indexOf('"', end + 1);
      }
      if (end === -1) return false; // unterminated string: the parser refuses it
      i = end;
    } else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      if (++depth > max) return true;
    } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
      depth--;
    }
  }
  return false;
}

/**
 * Replaces Fastify's JSON parser with the same one (prototype and constructor poisoning refused)
 * behind the depth check. Each route's `bodyLimit` still bounds what is read.
 */
export function registerJsonParser(app: FastifyInstance): void {
  // The poisoning settings the app was built with (both 'error' in app.ts), which Fastify's own
  // parser would have used.
  const { onProtoPoisoning = 'error', onConstructorPoisoning = 'error' } = app.initialConfig;
  const parse = app.getDefaultJsonParser(onProtoPoisoning, onConstructorPoisoning);
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const text = body as string;
    if (nestsDeeperThan(text, MAX_JSON_DEPTH)) {
      done(new HttpError('invalid_request', `The request body nests deeper than ${String(MAX_JSON_DEPTH)} levels; no Hush request does.`), undefined);
      return;
    }
    void parse(request, text, done);
  });
}
