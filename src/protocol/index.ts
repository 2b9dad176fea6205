/**
 * Hush protocol v1: pure, isomorphic code (WebCrypto only; no DOM, no Node-only API, no I/O).
 * Used unchanged by the server, the pages, the CLI and the library.
 */
export * from './api.js';
export * from './audit.js';
export * from './b64u.js';
export * from './bytes.js';
export * from './container.js';
export * from './envelope.js';
export * from './errors.js';
export * from './keys.js';
export * from './links.js';
export * from './receipt.js';
export * from './request.js';
export * from './secret.js';
export * from './stateless.js';
export * from './split.js';
export * from './recipients.js';
