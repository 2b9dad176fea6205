// Types of eslint-layers.mjs, for the test that plants imports (test/layers.test.ts).
import type { ESLint } from 'eslint';

declare const plugin: ESLint.Plugin;
export default plugin;
