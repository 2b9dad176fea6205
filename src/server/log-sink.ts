// Where the server's log lines go: as JSON lines, collected here and written in blocks of about
// 8 KB, at least every 250 ms, and at exit (LogSink); or, for a person at a terminal, each line
// made human-readable by pino-pretty and written at once (PrettyLogSink). HUSH_LOG_FORMAT chooses.
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

/** What serve.ts writes log lines to, whichever the format. */
export interface LogStream {
  /** Called by pino with one serialized line (ending in a newline). */
  write(line: string): void;
  /** Writes what is collected (the "listening" line must come out promptly). */
  flush(): void;
  /** Writes everything still pending before returning (at exit). */
  flushSync(): void;
}

export interface LogSinkOptions {
  /** File descriptor to write to (1: stdout). */
  fd?: number;
  /** Characters collected before they are handed on. */
  blockSize?: number;
  /** Longest a line waits before it is written, in ms. */
  flushEvery?: number;
  /**
   * A block never grows past blockSize: what is collected is written before a line that would
   * take it further (a line longer than that alone still goes as one block). For several processes
   * writing to one pipe (HUSH_WORKERS), where only a write of at most PIPE_BUF bytes is atomic.
   */
  whole?: boolean;
}

export class LogSink implements LogStream {
  readonly #out: ReturnType<typeof destination>;
  readonly #blockSize: number;
  readonly #whole: boolean;
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
    this.#whole = options.whole === true;
    this.#timer = setInterval(() => {
      this.flush();
    }, options.flushEvery ?? 250);
    this.#timer.unref();
  }

  /** Called by pino with one serialized line (ending in a newline). */
  write(line: string): void {
    if (this.#whole && this.#size + line.length > this.#blockSize) this.flush();
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

export interface PrettyLogSinkOptions {
  /** File descriptor to write to (1: stdout). */
  fd?: number;
  /** Colour the level names and messages; by default when stdout is a terminal that takes colours (NO_COLOR, TERM=dumb). */
  colorize?: boolean;
}

/** Fields of an access-log line (app.ts: AccessLog), put on its one line by `accessLine`. */
const ACCESS_FIELDS = 'req,res,ms';

/** "request GET /s/:id 200 1.23 ms 127.0.0.1": the access line's fields, which hold no id, on one line. */
function accessLine(log: Record<string, unknown>, messageKey: string): string {
  const message = log[messageKey];
  const msg = typeof message === 'string' ? message : '';
  const req = (typeof log.req === 'object' && log.req !== null ? log.req : {}) as Record<string, unknown>;
  const res = (typeof log.res === 'object' && log.res !== null ? log.res : {}) as Record<string, unknown>;
  const parts = [req.method, req.route, res.statusCode, typeof log.ms === 'number' ? `${String(log.ms)} ms` : undefined, req.remoteAddress];
  const shown = parts.filter((p) => typeof p === 'string' || typeof p === 'number').map(String);
  return shown.length === 0 ? msg : `${msg} ${shown.join(' ')}`;
}

/**
 * Characters a terminal would act on (escape sequences, C1 controls such as CSI, a lone CR,
 * bidi overrides). JSON lines carry them escaped; a pretty line would print a value's text as it
 * is, so they are written out (`\x1b`); only colour codes (SGR) stay when colouring is on.
 */
// eslint-disable-next-line no-control-regex -- control characters are what is looked for
const ACTIVE = /\u001b\[[0-9;]*m|[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/** `\x1b` for ESC, `\u009b` for CSI: as the CLI shows such characters (src/cli/terminal.ts). */
function writtenOut(c: string): string {
  const code = c.charCodeAt(0);
  return code < 0x80 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/**
 * pino-pretty, called synchronously on each line: the line is formatted and written before
 * `write` returns, so nothing waits in a buffer or a stream pipeline (the "listening" line comes
 * out at once, and nothing is lost at exit). Meant for a person watching a terminal, not for
 * load: JSON lines (LogSink) are the format for collectors.
 */
export class PrettyLogSink implements LogStream {
  readonly #out: ReturnType<typeof destination>;
  readonly #pretty: (line: string) => string;
  readonly #colorize: boolean;
  #ended = false;

  /** pino-pretty is loaded only here, so a server writing JSON lines never loads it. */
  static async open(options: PrettyLogSinkOptions = {}): Promise<PrettyLogSink> {
    const { prettyFactory, isColorSupported } = await import('pino-pretty');
    const colorize = options.colorize ?? isColorSupported;
    const pretty = prettyFactory({
      colorize,
      translateTime: 'SYS:yyyy-mm-dd HH:MM:ss.l',
      ignore: `pid,hostname,${ACCESS_FIELDS}`,
      messageFormat: accessLine,
      singleLine: true,
    });
    return new PrettyLogSink(options.fd ?? 1, pretty, colorize);
  }

  private constructor(fd: number, pretty: (line: string) => string, colorize: boolean) {
    this.#out = destination({ dest: fd, sync: true, minLength: 0 });
    this.#out.once('close', () => {
      this.#ended = true;
    });
    this.#pretty = pretty;
    this.#colorize = colorize;
  }

  write(line: string): void {
    if (this.#ended) return;
    const text = this.#pretty(line).replace(ACTIVE, (c) => (c.length === 1 ? writtenOut(c) : this.#colorize ? c : writtenOut(c[0]!) + c.slice(1)));
    this.#out.write(text);
  }

  /** Nothing is kept: each line was written by `write`. */
  flush(): void {
    // written already
  }

  flushSync(): void {
    if (!this.#ended) this.#out.flushSync();
  }

  close(): void {
    this.flushSync();
  }
}
