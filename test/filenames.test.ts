// Received file names are the sender's choice: safeFileName turns any string into one name to
// write in a directory the reader chose, and nothing else.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_FILE_NAME, formatBytes, numberedName, safeFileName } from '../src/shared/filenames.js';

describe('safeFileName', () => {
  it('keeps ordinary names, dotfiles and non-ASCII as they are', () => {
    for (const name of ['id_ed25519', '.env', 'Grüße aus 日本.env', 'report (final).pdf', 'a b']) expect(safeFileName(name)).toBe(name);
  });

  it('drops directories, control and bidi characters, trailing dots and spaces, . and ..', () => {
    const cases: [string, string][] = [
      ['../../etc/passwd', 'passwd'],
      ['C:\\Users\\me\\key.pem', 'key.pem'],
      ['/abs/path/', 'file'],
      ['..', 'file'],
      ['.', 'file'],
      ['', 'file'],
      ['   ', 'file'],
      ['invoice\u202Efdp.exe', 'invoicefdp.exe'],
      ['a\u0000b\nc\u007f.txt', 'abc.txt'],
      ['name. . ', 'name'],
      ['\ud800lone', 'lone'],
    ];
    for (const [given, expected] of cases) expect(safeFileName(given), JSON.stringify(given)).toBe(expected);
  });

  it('shortens long names to MAX_FILE_NAME, keeping a short extension and whole characters', () => {
    const long = `${'日'.repeat(200)}.tar.gz`;
    const safe = safeFileName(long);
    expect(safe.length).toBeLessThanOrEqual(MAX_FILE_NAME);
    expect(safe.endsWith('.gz')).toBe(true);
    const emoji = safeFileName('😀'.repeat(100));
    expect(emoji.length).toBeLessThanOrEqual(MAX_FILE_NAME);
    expect(emoji).toBe('😀'.repeat(60));
  });

  it('whatever it is given, returns one non-empty name with no separator, control character or half character', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (name) => {
        const safe = safeFileName(name);
        expect(safe.length).toBeGreaterThan(0);
        expect(safe.length).toBeLessThanOrEqual(MAX_FILE_NAME);
        // eslint-disable-next-line no-control-regex -- control characters are what must be absent
        expect(safe).not.toMatch(/[/\\\u0000-\u001f\u007f\u202a-\u202e\u2066-\u2069]/);
        expect(['.', '..']).not.toContain(safe);
        expect(() => encodeURIComponent(safe)).not.toThrow(); // throws on half a surrogate pair
        expect(safeFileName(safe)).toBe(safe);
      }),
    );
  });
});

describe('numberedName and formatBytes', () => {
  it('numbers before the extension, after a dotfile name', () => {
    expect(numberedName('key.pem', 1)).toBe('key (1).pem');
    expect(numberedName('.env', 2)).toBe('.env (2)');
    expect(numberedName('README', 3)).toBe('README (3)');
  });
  it('writes sizes in binary units', () => {
    expect([0, 1023, 1024, 70_000, 10 * 1024 * 1024].map(formatBytes)).toEqual(['0 B', '1023 B', '1.0 KiB', '68.4 KiB', '10.0 MiB']);
  });
});
