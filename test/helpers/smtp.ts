// A real SMTP server on loopback (smtp-server, the maintained library behind Nodemailer's tests)
// that keeps every message it receives, for the tests of verified recipients: the server under
// test sends its codes here through nodemailer, and the test reads each code from the mail.
import { SMTPServer } from 'smtp-server';
import { freePort } from './server.js';

export interface Mail {
  /** Envelope recipients, as the sender gave them. */
  to: string[];
  /** The whole message as received (headers and body). */
  text: string;
}

export interface MailServer {
  port: number;
  url: string;
  mails: Mail[];
  /** While set, each message is taken only once it settles (the sender's DATA waits for it). */
  hold: Promise<void> | null;
  /** The first mail to `address` (case-insensitive) received after the first `after` mails. */
  mailTo: (address: string, after?: number) => Promise<Mail>;
  close: () => Promise<void>;
}

export async function startMailServer(): Promise<MailServer> {
  const mails: Mail[] = [];
  const state: { hold: Promise<void> | null } = { hold: null };
  const server = new SMTPServer({
    authOptional: true,
    // Plain SMTP on loopback: no certificate to trust.
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        void (state.hold ?? Promise.resolve()).then(() => {
          mails.push({ to: session.envelope.rcptTo.map((r) => r.address), text: Buffer.concat(chunks).toString('utf8') });
          callback();
        });
      });
    },
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const mailTo = async (address: string, after = 0): Promise<Mail> => {
    for (let i = 0; i < 200; i++) {
      const found = mails.slice(after).find((m) => m.to.some((t) => t.toLowerCase() === address.toLowerCase()));
      if (found) return found;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`no mail to ${address}`);
  };
  return {
    port,
    url: `smtp://127.0.0.1:${String(port)}`,
    mails,
    get hold() {
      return state.hold;
    },
    set hold(p: Promise<void> | null) {
      state.hold = p;
    },
    mailTo,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** The six-digit code in a mail Hush sent. */
export const codeIn = (mail: Mail): string => /Your code: ([0-9]{6})/.exec(mail.text)![1]!;
