// Group commit for the PostgreSQL store: the creates (and, apart, the consumes) that arrive while
// earlier ones are on their way to the database are sent together, as ONE multi-row statement —
// one round trip, one transaction, one commit for the group — instead of one statement each. On a
// machine whose cores the server shares with PostgreSQL, the fixed cost of a statement (its
// round trip, the wake-ups on both sides, the commit) is most of what a create costs; docs/
// performance.md has the figures.
//
// What stays as it was: each item is still decided by the same rules inside one atomic statement
// (postgres-batch-sql.ts): a consume still locks its row and spends a view only if it matched, and
// racing consumers — in one group, in two groups, or on two instances — still see the ciphertext
// exactly `views` times. A group holds each key (a secret's id) at most once; a second item for
// the same id waits for the next group, so that the one statement never meets a row twice.
//
// Scheduling: an item starts a group at once when fewer than `inFlight` groups are out; otherwise
// it waits for one of them to come back, and everything that arrived meanwhile goes together (up
// to `maxItems`). So under light load nothing waits (a group of one, as before), and under heavy
// load the groups grow by themselves. A group that fails with an SQL error (a bug, or an item the
// database refuses) is retried one item at a time, so that one bad item fails alone; a failure
// of the database itself (StoreUnavailableError) fails the whole group, as it would each item, and
// the items queued behind it too (they would only wait out the same timeout again).
import { StoreUnavailableError } from './types.js';

export interface BatchOptions<I, R> {
  /** Runs one group; answers one result per item, in order. */
  readonly many: (items: readonly I[]) => Promise<R[]>;
  /** Runs one item alone (a group of one, and the retry after a group failed with an SQL error). */
  readonly one: (item: I) => Promise<R>;
  /** The key an item must not share with another of its group (a secret's id). */
  readonly key: (item: I) => string;
  /** Groups out at once (each holds one pooled connection while it runs). */
  readonly inFlight: number;
  /** Most items in one group. */
  readonly maxItems: number;
}

interface Waiting<I, R> {
  readonly item: I;
  readonly resolve: (r: R) => void;
  readonly reject: (e: unknown) => void;
}

export class Batcher<I, R> {
  readonly #o: BatchOptions<I, R>;
  #queue: Waiting<I, R>[] = [];
  #out = 0;
  #scheduled = false;

  constructor(options: BatchOptions<I, R>) {
    this.#o = options;
  }

  /** Queues `item`; settles with its own result, as `one(item)` would. */
  run(item: I): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.#queue.push({ item, resolve, reject });
      this.#schedule();
    });
  }

  /** Statements of more than one item sent so far, and the items they held (tests, metrics). */
  readonly sent = { groups: 0, items: 0 };

  // The group starts after the current event-loop turn's other callbacks, so that the items of
  // one turn (the requests of one read from the sockets) travel together.
  #schedule(): void {
    if (this.#scheduled || this.#out >= this.#o.inFlight || this.#queue.length === 0) return;
    this.#scheduled = true;
    setImmediate(() => {
      this.#scheduled = false;
      while (this.#out < this.#o.inFlight && this.#queue.length > 0) void this.#send(this.#take());
    });
  }

  /**
   * The database did not answer (or went away): the items waiting behind the statement that found
   * out fail with it at once, rather than each waiting out the timeout once more in its turn — a
   * request answers 503 within one timeout, as it did with a statement of its own. Nothing of
   * theirs was sent, so nothing changed.
   */
  #unavailable(err: unknown): void {
    if (!(err instanceof StoreUnavailableError)) return;
    const waiting = this.#queue;
    this.#queue = [];
    for (const w of waiting) w.reject(err);
  }

  /** The next group: queue order, each key once, at most maxItems; the rest stays queued. */
  #take(): Waiting<I, R>[] {
    const group: Waiting<I, R>[] = [];
    const keys = new Set<string>();
    const rest: Waiting<I, R>[] = [];
    for (const w of this.#queue) {
      const k = this.#o.key(w.item);
      if (group.length < this.#o.maxItems && !keys.has(k)) {
        keys.add(k);
        group.push(w);
      } else {
        rest.push(w);
      }
    }
    this.#queue = rest;
    return group;
  }

  async #send(group: Waiting<I, R>[]): Promise<void> {
    this.#out++;
    try {
      if (group.length === 1) {
        await settle(group[0]!, () => this.#o.one(group[0]!.item), (err) => this.#unavailable(err));
        return;
      }
      let results: R[];
      this.sent.groups++;
      this.sent.items += group.length;
      try {
        results = await this.#o.many(group.map((w) => w.item));
      } catch (err) {
        if (err instanceof StoreUnavailableError) {
          for (const w of group) w.reject(err);
          this.#unavailable(err);
          return;
        }
        // An SQL error: nothing of the group was written (one statement); each item alone.
        await Promise.all(group.map((w) => settle(w, () => this.#o.one(w.item))));
        return;
      }
      group.forEach((w, i) => w.resolve(results[i]!));
    } finally {
      this.#out--;
      this.#schedule();
    }
  }
}

async function settle<I, R>(w: Waiting<I, R>, work: () => Promise<R>, failed?: (err: unknown) => void): Promise<void> {
  try {
    w.resolve(await work());
  } catch (err) {
    w.reject(err);
    failed?.(err);
  }
}
