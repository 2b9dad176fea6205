#!/usr/bin/env node
// Launcher of the `hush` command: runs the CLI compiled into dist/ (npm run build).
import { existsSync } from 'node:fs';

const entry = new URL('../dist/cli/main.js', import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write('hush: the CLI is not built (dist/cli/main.js is missing); run npm run build first\n');
  process.exit(3);
}
const { run } = await import(entry.href);
await run(process.argv.slice(2));
