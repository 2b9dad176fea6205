// This installed release of Hush: its version and where its built pages are. Read by the server
// (/api/v1/info, the pages it serves) and the CLI (`hush --version`, `hush verify`), so neither
// takes them from the other's folder.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The package version, read once from package.json. */
export const VERSION: string = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;

/** dist/web of this package: the pages, scripts and manifest the build made. */
export const defaultWebRoot = (): string => fileURLToPath(new URL('../dist/web', import.meta.url));
