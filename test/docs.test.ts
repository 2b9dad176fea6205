// Keeps the docs in step with the code: every setting is in the README's table, every error code
// is in docs/protocol.md, every test named in docs/security.md exists.
import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SETTINGS } from '../src/server/config.js';
import { ERROR_STATUS } from '../src/protocol/api.js';

const read = (p: string): string => readFileSync(new URL(`../${p}`, import.meta.url), 'utf8');

describe('docs stay in sync', () => {
  it('the README lists every setting with its variable and flag', () => {
    const readme = read('README.md');
    for (const s of SETTINGS) {
      expect(readme, s.env).toContain(`\`${s.env}\``);
      expect(readme, s.flag).toContain(`\`${s.flag}\``);
    }
  });

  it('docs/protocol.md lists every error code with its status', () => {
    const doc = read('docs/protocol.md');
    for (const [code] of Object.entries(ERROR_STATUS)) expect(doc, code).toContain(`\`${code}\``);
  });

  it('every test that docs/security.md cites exists', () => {
    const doc = read('docs/security.md');
    const cited = [...doc.matchAll(/`(test\/[a-z0-9.-]+\.test\.ts) › ([^`]+)`/g)];
    expect(cited.length).toBeGreaterThan(15);
    const files = new Set(readdirSync(new URL('./', import.meta.url)).map((f) => `test/${f}`));
    for (const [, file, name] of cited) {
      expect(files, file).toContain(file);
      const source = read(file!);
      // The cited name, or its start when the doc shortens it with "…".
      const head = name!.split('…')[0]!.trim();
      expect(source.includes(head), `${file!} › ${head}`).toBe(true);
    }
  });
});
