// The built pages and assets (dist/web), read once into memory at start-up.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join, relative, sep } from 'node:path';

export interface StaticFile {
  readonly body: Buffer;
  readonly type: string;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
};

/** Reads every file under `root` into a map keyed by its URL path (`/assets/reveal.js`). */
export function loadStatic(root: string): Map<string, StaticFile> {
  if (!existsSync(join(root, 'index.html'))) {
    throw new Error(`the web pages are not built (no ${join(root, 'index.html')}): run "npm run build" first`);
  }
  const files = new Map<string, StaticFile>();
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const full = join(dir, name);
      if (statSync(full).isDirectory()) {
        walk(full);
        continue;
      }
      const type = TYPES[extname(name)];
      if (type === undefined) continue;
      files.set('/' + relative(root, full).split(sep).join('/'), { body: readFileSync(full), type });
    }
  };
  walk(root);
  return files;
}
