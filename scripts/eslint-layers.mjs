// An ESLint rule that keeps the layers of src/ apart (README, "Layout"): each import is resolved
// against the importing file, so `../../server/x.js` from src/web/i18n/ is caught like
// `../server/x.js` from src/web/, and `../format.js` from src/web/i18n/ stays inside web.
// Node built-ins and npm packages are allowed per layer too: the isomorphic layers (protocol,
// shared, client) and the pages import no built-in, and only isomorphic packages.
import { dirname, relative, resolve, sep } from 'node:path';

/** What each layer may import, besides its own files. */
const LAYERS = {
  protocol: { layers: [], node: false, packages: [] },
  shared: { layers: [], node: false, packages: [] },
  // age-encryption (isomorphic: WebCrypto and @noble) wraps link keys to age keys, in client/age.ts only (docs/protocol.md §14).
  // shamir-secret-sharing (isomorphic: WebCrypto only; audited) splits a vault key, in client/split.ts only (docs/protocol.md §15).
  client: { layers: ['protocol', 'shared'], node: false, packages: ['age-encryption', 'shamir-secret-sharing'] },
  web: { layers: ['protocol', 'client', 'shared'], node: false, packages: ['uqr'] },
  store: { layers: ['protocol'], node: true, packages: ['better-sqlite3', 'pg', 'ioredis'] },
  server: {
    layers: ['protocol', 'store', 'shared', 'package'],
    node: true,
    packages: ['fastify', '@fastify/rate-limit', '@fastify/swagger', 'proxy-addr', 'prom-client', 'pino', 'pino-pretty', 'ioredis', 'altcha-lib', 'openid-client', 'jose', 'nodemailer'],
  },
  // The CLI reaches the server only to run it (`hush serve`); it signs in on openid-client (`hush login`).
  cli: { layers: ['protocol', 'client', 'shared', 'package', 'server'], node: true, packages: ['openid-client'] },
  // src/lib.ts, the library's entry point.
  lib: { layers: ['protocol', 'client', 'shared'], node: false, packages: [] },
  // src/package.ts: this release's version and built pages.
  package: { layers: [], node: true, packages: [] },
};

/** The layer of a path below src/: its first folder, or `lib` / `package` for those two files. */
function layerOf(pathBelowSrc) {
  const first = pathBelowSrc.split(sep)[0] ?? '';
  return first.replace(/\.(ts|js)$/, '');
}

const packageName = (spec) => (spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]);

/** @type {import('eslint').Rule.RuleModule} */
const rule = {
  meta: {
    type: 'problem',
    docs: { description: 'each layer of src/ imports only the layers, built-ins and packages README allows it' },
    schema: [{ type: 'object', properties: { src: { type: 'string' } }, additionalProperties: false }],
  },
  create(context) {
    const src = context.options[0]?.src ?? resolve(context.cwd, 'src');
    const file = context.filename;
    const below = relative(src, file);
    if (below.startsWith('..')) return {};
    const own = layerOf(below);
    const allowed = LAYERS[own];
    if (allowed === undefined) return {};
    const check = (node, spec) => {
      if (typeof spec !== 'string') return;
      let problem = null;
      if (spec.startsWith('.')) {
        const target = relative(src, resolve(dirname(file), spec));
        const layer = target.startsWith('..') ? '(outside src)' : layerOf(target);
        if (layer !== own && !allowed.layers.includes(layer)) problem = `src/${own} may not import ${layer === '(outside src)' ? 'from outside src/' : `src/${layer}`}`;
      } else if (spec.startsWith('node:')) {
        if (!allowed.node) problem = `src/${own} runs outside Node too: no Node built-ins (${spec})`;
      } else if (!allowed.packages.includes(packageName(spec))) {
        problem = `src/${own} may not import the package "${packageName(spec)}"`;
      }
      if (problem !== null) context.report({ node, message: `${problem}; see README "Layout" (scripts/eslint-layers.mjs).` });
    };
    return {
      ImportDeclaration: (node) => check(node.source, node.source.value),
      ExportNamedDeclaration: (node) => node.source && check(node.source, node.source.value),
      ExportAllDeclaration: (node) => check(node.source, node.source.value),
      ImportExpression: (node) => node.source.type === 'Literal' && check(node.source, node.source.value),
    };
  },
};

export default { rules: { imports: rule } };
