// The `hush` command: dispatches to a command, turns any failure into one `hush: …` line on
// stderr and an exit code (see errors.ts), and exits only once the output is written.
import { VERSION } from '../package.js';
import { setClientName } from '../client/api.js';
import { HelpRequested, unknownWord } from './args.js';
import { EXIT, explain, usageError } from './errors.js';
import { COMMAND_USAGE, USAGE } from './help.js';
import { err, out, type Env } from './io.js';
import { revoke, status, token } from './manage.js';
import { audit } from './audit.js';
import { combine } from './combine.js';
import { login, logout } from './login.js';
import { open, unseal } from './open.js';
import { receipt } from './receipt.js';
import { request, respond } from './request.js';
import { seal, send } from './send.js';
import { serveCommand } from './serve.js';
import { verify } from './verify.js';

type Command = (args: string[], env: Env) => Promise<number | null>;

const COMMANDS: Record<string, Command> = {
  send,
  open,
  combine,
  status: (args) => status(args),
  revoke: (args) => revoke(args),
  seal,
  unseal,
  request,
  respond: (args) => respond(args),
  token: (args) => token(args),
  login,
  logout,
  serve: serveCommand,
  verify: (args) => verify(args),
  receipt: (args) => receipt(args),
  audit: (args) => audit(args),
};

/** Runs one command line; resolves with the exit code, or null when the process keeps running (serve). */
export async function main(argv: string[], env: Env = process.env): Promise<number | null> {
  const [first, ...rest] = argv;
  if (first === undefined) {
    await err(USAGE);
    return EXIT.usage;
  }
  if (first === '-h' || first === '--help') {
    await out(USAGE);
    return EXIT.ok;
  }
  if (first === '--version' || first === '-V') {
    await out(`${VERSION}\n`);
    return EXIT.ok;
  }
  if (first === 'help') {
    const topic = rest[0];
    await out(topic !== undefined && topic in COMMAND_USAGE ? COMMAND_USAGE[topic]! : USAGE);
    return EXIT.ok;
  }
  const command = Object.hasOwn(COMMANDS, first) ? COMMANDS[first] : undefined;
  if (command === undefined) {
    const word = first.startsWith('-') ? unknownWord('option', first, ['--help', '--version']) : unknownWord('command', first, Object.keys(COMMANDS));
    throw usageError(`${word} (see hush --help).`);
  }
  try {
    return await command(rest, env);
  } catch (e) {
    if (!(e instanceof HelpRequested)) throw e;
    await out(e.usage);
    return EXIT.ok;
  }
}

/** The process entry point used by bin/hush.js. */
export async function run(argv: string[]): Promise<void> {
  process.stdout.on('error', () => undefined); // a closed pipe: nothing left to tell anyone
  // The server classes the CLI's requests as `cli` in a secret's history (docs/protocol.md §9).
  setClientName(`hush-cli/${VERSION}`);
  let code: number | null;
  try {
    code = await main(argv);
  } catch (e) {
    const { exitCode, message } = explain(e);
    await err(`hush: ${message}\n`);
    code = exitCode;
  }
  if (code !== null) process.exit(code);
}
