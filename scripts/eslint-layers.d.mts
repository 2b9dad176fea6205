// Types of eslint-layers.mjs, for the test that plants imports (test/layers.test.ts).
import type { ESLint } from 'eslint';

export declare const LAYERS: Record<string, { layers: string[]; node: boolean; packages: string[] }>;
declare const plugin: ESLint.Plugin;
export default plugin;
