import { readFileSync } from 'node:fs';

/** The package version, read once (shown by /api/v1/info and `hush --version`). */
export const VERSION: string = (
  JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }
).version;
