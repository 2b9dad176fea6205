// The layer rule of eslint.config.js (scripts/eslint-layers.mjs) on planted imports: each bad
// import is refused at any depth, and each allowed one passes. The lint of the real tree (npm
// test runs it) then keeps src/ itself within these bounds.
import { join } from 'node:path';
import { Linter } from 'eslint';
import { describe, expect, it } from 'vitest';
import layers from '../scripts/eslint-layers.mjs';

const SRC = join(process.cwd(), 'src');
const linter = new Linter({ configType: 'flat' });

/** The layer rule's messages for `code` as if it were the file `path` below src/. */
function lint(path: string, code: string): string[] {
  return linter
    .verify(code, [{ files: ['**/*.ts'], plugins: { layers }, rules: { 'layers/imports': ['error', { src: SRC }] }, languageOptions: { sourceType: 'module' } }], join(SRC, path))
    .map((m) => m.message);
}

describe('layer rule', () => {
  it.each([
    ['web/i18n/x.ts', "import { a } from '../../server/app.js';", 'src/web may not import src/server'],
    ['web/page-x.ts', "import { a } from '../store/sqlite.js';", 'src/web may not import src/store'],
    ['web/page-x.ts', "import { a } from 'node:fs';", 'no Node built-ins'],
    ['web/page-x.ts', "import { a } from '../package.js';", 'src/web may not import src/package'],
    ['client/x.ts', "import { a } from '../server/wire.js';", 'src/client may not import src/server'],
    ['client/x.ts', "import { a } from 'node:crypto';", 'no Node built-ins'],
    ['client/x.ts', "import { a } from 'fastify';", 'may not import the package "fastify"'],
    ['protocol/x.ts', "import { a } from '../shared/pages.js';", 'src/protocol may not import src/shared'],
    ['store/x.ts', "import { a } from '../server/errors.js';", 'src/store may not import src/server'],
    ['store/x.ts', "import { a } from '../client/api.js';", 'src/store may not import src/client'],
    ['server/x.ts', "import { a } from '../web/dom.js';", 'src/server may not import src/web'],
    ['server/x.ts', "import { a } from '../cli/main.js';", 'src/server may not import src/cli'],
    ['cli/x.ts', "export { a } from '../store/sqlite.js';", 'src/cli may not import src/store'],
    ['cli/x.ts', "const m = await import('../web/dom.js');", 'src/cli may not import src/web'],
    ['lib.ts', "import { a } from './server/app.js';", 'src/lib may not import src/server'],
    ['shared/x.ts', "import { a } from '../../package.json';", 'from outside src/'],
  ])('%s: %s is refused', (path, code, message) => {
    expect(lint(path, code)).toEqual([expect.stringContaining(message)]);
  });

  it.each([
    ['web/i18n/x.ts', "import { a } from '../format.js'; import { b } from '../../client/api.js'; import { c } from './en.js';"],
    ['web/page-x.ts', "import { a } from '../protocol/b64u.js'; import { b } from '../shared/pages.js'; import { encode } from 'uqr';"],
    ['client/x.ts', "import { a } from '../protocol/api.js'; import { b } from '../shared/duration.js';"],
    ['store/x.ts', "import { a } from '../protocol/api.js'; import Database from 'better-sqlite3'; import { b } from 'node:fs';"],
    ['server/x.ts', "import { a } from '../store/types.js'; import { b } from '../package.js'; import Fastify from 'fastify'; import { C } from 'altcha-lib/types';"],
    ['cli/x.ts', "import { a } from '../client/flows.js'; import { b } from '../package.js'; const s = await import('../server/serve.js');"],
    ['lib.ts', "import { a } from './client/flows.js'; export { b } from './protocol/errors.js';"],
  ])('%s: allowed imports pass', (path, code) => {
    expect(lint(path, code)).toEqual([]);
  });
});
