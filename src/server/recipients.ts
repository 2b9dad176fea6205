// Verified recipients (docs/protocol.md §12): the server side. A sender names addresses and
// `@domain`s; the store keeps only their HMACs under HUSH_RECIPIENT_KEY. A reader asks for a code
// at an address: when it (or its domain) is listed, a six-digit code goes out by mail (SMTP,
// nodemailer) — or, to a reader signed in as that address, is given on the page (§12, "Signed
// in") — and the store keeps its HMAC; the consume then needs it. The answer to the reader
// is the same either way, and it is sent before the mail is, so neither its content nor its
// timing tells whether the address is listed. The key stays in the link's fragment as always:
// the code is a second factor, never a way for the server to read anything.
import { createHmac, randomBytes, randomInt } from 'node:crypto';
import { dirname } from 'node:path';
import nodemailer from 'nodemailer';
import type { FastifyBaseLogger } from 'fastify';
import { CODE_ATTEMPTS, CODE_TTL_SECONDS, MAX_CODES_PER_SECRET, MAX_RECIPIENTS, normalizeAddress, normalizeRecipient } from '../protocol/recipients.js';
import type { Gate, NewCode } from '../store/types.js';
import { verifiesRecipients, type Config } from './config.js';
import { HttpError } from './errors.js';
import { keyFromFile } from './keys.js';

/** Sends one code; resolves when the mail server took it. */
export type SendCode = (to: string, code: string, host: string | null) => Promise<void>;

export class Recipients {
  private constructor(
    private readonly key: Buffer,
    /** The mail transport; null on a server that has sign-in but no mail server: codes go to signed-in readers only. */
    private readonly send: SendCode | null,
    private readonly log: FastifyBaseLogger,
  ) {}

  /**
   * The feature as configured (verifiesRecipients): null with neither HUSH_SMTP_URL nor sign-in
   * (HUSH_CREATE=oidc; on a shared store with HUSH_RECIPIENT_KEY) — a create naming recipients is
   * then refused, never stored unrestricted. `send` replaces the mail transport (tests).
   */
  static fromConfig(config: Config, log: FastifyBaseLogger, send?: SendCode): Recipients | null {
    if (!verifiesRecipients(config)) return null;
    let key = config.recipientKey;
    if (key === '') {
      key = config.store.kind === 'sqlite' && config.store.path !== ':memory:' ? keyFromFile(dirname(config.store.path), 'recipient').key : randomBytes(32).toString('base64url');
    }
    return new Recipients(Buffer.from(key, 'utf8'), send ?? (config.smtpUrl === null ? null : mailer(config)), log);
  }

  /** Whether codes can be mailed (else only a signed-in reader gets one, on the page). */
  get mails(): boolean {
    return this.send !== null;
  }

  /** Whether `address` and `signedIn` are one address (as listed: normalised). */
  same(address: string, signedIn: string): boolean {
    const a = normalizeAddress(address);
    return a !== null && a === normalizeAddress(signedIn);
  }

  #hmac(label: string, text: string): Buffer {
    return createHmac('sha256', this.key).update(`hush-${label}\n${text}`, 'utf8').digest();
  }

  /** The gate of a new secret from the sender's list; a clear 400 for an entry that is not one. */
  gate(entries: readonly string[]): Gate {
    if (entries.length === 0 || entries.length > MAX_RECIPIENTS) {
      throw new HttpError('invalid_request', `recipients: name 1 to ${String(MAX_RECIPIENTS)} addresses or @domains`);
    }
    const hashes = new Map<string, Buffer>();
    for (const [i, entry] of entries.entries()) {
      const n = normalizeRecipient(entry);
      if (n === null) throw new HttpError('invalid_request', `recipients[${String(i)}] is not an e-mail address or an @domain`);
      hashes.set(n, this.#hmac('recipient', n));
    }
    return { recipients: [...hashes.values()], attempts: CODE_ATTEMPTS };
  }

  /** A fresh code for `address` on secret `id`: the code, and what the store keeps of it. */
  code(id: string, address: string, now: number): { code: string; stored: NewCode } {
    const n = normalizeAddress(address);
    if (n === null) throw new HttpError('invalid_request', 'email is not an e-mail address');
    const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
    return {
      code,
      stored: {
        candidates: [this.#hmac('recipient', n), this.#hmac('recipient', n.slice(n.lastIndexOf('@')))],
        codeHash: this.codeHash(id, code),
        expiresAt: now + CODE_TTL_SECONDS * 1000,
        maxSends: MAX_CODES_PER_SECRET,
      },
    };
  }

  /** What the store compares a code given at consume with: bound to the secret's id. */
  codeHash(id: string, code: string): Buffer {
    return this.#hmac('code', `${id}\n${code}`);
  }

  /** Sends in the background; a failure is logged (never with the address or the code). */
  deliver(to: string, code: string, host: string | null): void {
    if (this.send === null) return;
    this.send(to, code, host).catch((err: unknown) => {
      this.log.error({ reason: (err as { code?: string }).code ?? (err as Error).name }, 'could not send a recipient code');
    });
  }
}

function mailer(config: Config): SendCode {
  const transport = nodemailer.createTransport(config.smtpUrl ?? '');
  return async (to, code, host) => {
    const where = host === null ? 'Hush' : `Hush at ${host}`;
    await transport.sendMail({
      from: config.mailFrom,
      to,
      subject: `Your code to open a secret: ${code}`,
      text: [
        `Someone asked ${where} to open a secret that was shared with this address.`,
        '',
        `Your code: ${code}`,
        '',
        `It is good for ${String(CODE_TTL_SECONDS / 60)} minutes and for one read. If you did not ask for it, ignore this message:`,
        'without the link, the code opens nothing.',
        '',
      ].join('\n'),
    });
  };
}
