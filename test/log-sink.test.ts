// The server's log sink (src/server/log-sink.ts): lines are collected and written in blocks, and
// none is lost or reordered — on a real file descriptor.
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LogSink } from '../src/server/log-sink.js';

const dirs: string[] = [];
function tempFile(): { path: string; fd: number } {
  const dir = mkdtempSync(join(tmpdir(), 'hush-log-'));
  dirs.push(dir);
  const path = join(dir, 'log');
  return { path, fd: openSync(path, 'w') };
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const line = (i: number): string => `${JSON.stringify({ level: 30, n: i, msg: i % 7 === 0 ? 'naïve café ✓ 秘密' : 'request completed' })}\n`;

describe('log sink', () => {
  it('writes every line once, in order, including non-ASCII ones, across many blocks', async () => {
    const { path, fd } = tempFile();
    const sink = new LogSink({ fd, blockSize: 1024, flushEvery: 5 });
    const expected: string[] = [];
    for (let i = 0; i < 5_000; i++) {
      expected.push(line(i));
      sink.write(line(i));
      // Let some asynchronous writes complete in between, as under real load.
      if (i % 500 === 0) await new Promise((r) => setTimeout(r, 2));
    }
    sink.close();
    closeSync(fd);
    expect(readFileSync(path, 'utf8')).toBe(expected.join(''));
  });

  it('keeps short lines until a block is full or it is flushed', () => {
    const { path, fd } = tempFile();
    const sink = new LogSink({ fd, blockSize: 4096, flushEvery: 60_000 });
    sink.write(line(1));
    sink.write(line(2));
    expect(readFileSync(path, 'utf8')).toBe('');
    sink.flushSync();
    expect(readFileSync(path, 'utf8')).toBe(line(1) + line(2));
    sink.close();
    closeSync(fd);
  });

  it('writes a waiting line within its flush interval, without being asked', async () => {
    const { path, fd } = tempFile();
    const sink = new LogSink({ fd, blockSize: 1 << 20, flushEvery: 20 });
    sink.write(line(3));
    const deadline = Date.now() + 5_000;
    while (readFileSync(path, 'utf8') === '' && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    expect(readFileSync(path, 'utf8')).toBe(line(3));
    sink.close();
    closeSync(fd);
  });
});
