// Where the server's log lines go: collected here and written in blocks of about 8 KB, at least
// every 250 ms, and at exit.
//
// Why not sonic-boom's own buffering (`minLength`)? It appends each line to one growing string and
// measures that string's UTF-8 length on every write, which copies the whole pending block each
// time: about 5 KB of garbage per request under load, 17 % of everything the server allocated
// (docs/performance.md). Here a line costs an array slot; the block is joined once.
//
// Blocks are written synchronously (sonic-boom in sync mode, which retries when a non-blocking
// pipe is full): one write call per ~25 requests under load. An asynchronous write still in
// flight at exit could not be waited for — its block would be lost, or land after the last ones.
import { destination } from 'pino';

export interface LogSinkOptions {
  /** File descriptor to write to (1: stdout). */
  fd?: number;
  /** Characters collected before they are handed on. */
  blockSize?: number;
  /** Longest a line waits before it is written, in ms. */
  flushEvery?: number;
}

export class LogSink {
  readonly #out: ReturnType<typeof destination>;
  readonly #blockSize: number;
  readonly #timer: NodeJS.Timeout;
  #lines: string[] = [];
  #size = 0;
  /** Set once the destination is closed; later lines are dropped. */
  #ended = false;

  constructor(options: LogSinkOptions = {}) {
    this.#out = destination({ dest: options.fd ?? 1, sync: true, minLength: 0 });
    this.#out.once('close', () => {
      this.#ended = true;
    });
    this.#blockSize = options.blockSize ?? 8 * 1024;
    this.#timer = setInterval(() => {
      this.flush();
    }, options.flushEvery ?? 250);
    this.#timer.unref();
  }

  /** Called by pino with one serialized line (ending in a newline). */
  write(line: string): void {
    this.#lines.push(line);
    this.#size += line.length;
    if (this.#size >= this.#blockSize) this.flush();
  }

  /** Writes what is collected. */
  flush(): void {
    if (this.#lines.length === 0 || this.#ended) return;
    const block = this.#lines.length === 1 ? this.#lines[0]! : this.#lines.join('');
    this.#lines = [];
    this.#size = 0;
    this.#out.write(block);
  }

  /** Writes everything still pending before returning (at exit). */
  flushSync(): void {
    this.flush();
    if (!this.#ended) this.#out.flushSync();
  }

  /** Stops the timer; pending lines are written first. */
  close(): void {
    clearInterval(this.#timer);
    this.flushSync();
  }
}
