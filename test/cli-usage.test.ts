// The `hush` command's edges: links and secret settings given as arguments, tokens, ids that look
// like options, usage errors and failures (no error output may carry a secret, a key or a
// passphrase), and `hush serve`.
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sealLink } from '../src/client/flows.js';
import { hush, spawnHush } from './helpers/cli.js';
import { parseCommand } from '../src/cli/args.js';
import { COMMAND_USAGE, USAGE } from '../src/cli/help.js';
import { startServer } from './helpers/server.js';
import { cliSession, deadPort, env, expectFailure, s, send, tempDir, VERSION } from './helpers/cli-session.js';

cliSession();

describe('links and secret settings given as arguments (visible in ps and shell history)', () => {
  const warning = (what: string): string => `hush: warning: a ${what} given as an argument is visible in shell history and to other users (ps); prefer stdin.\n`;

  it('open, unseal, status and revoke warn when the link is an argument, never when it comes on stdin; the warning holds no key', async () => {
    const { link, manageLink, fragment } = await send('warned', ['--views', '2']);
    const byArgument = await hush(['open', link], { env });
    expect(byArgument.stdout).toBe('warned');
    expect(byArgument.stderr).toBe(warning('link'));
    const byStdin = await hush(['open'], { input: link, env });
    expect(byStdin.stdout).toBe('warned');
    expect(byStdin.stderr).toBe('');

    const status = await hush(['status', manageLink], { env });
    expect(status.code, status.stderr).toBe(0);
    expect(status.stderr).toBe(warning('manage link'));
    expect((await hush(['status'], { input: manageLink, env })).stderr).toBe('');
    const revoked = await hush(['revoke', manageLink], { env });
    expect(revoked.code, revoked.stderr).toBe(0);
    expect(revoked.stderr).toBe(warning('manage link'));
    const other = await send('revoked quietly');
    const quiet = await hush(['revoke'], { input: other.manageLink, env });
    expect(quiet.code, quiet.stderr).toBe(0);
    expect(quiet.stderr).toBe('');

    const sealed = await sealLink({ origin: s.url, message: 'sealed', ttl: 3600 });
    const unsealed = await hush(['unseal', sealed]);
    expect(unsealed.stdout).toBe('sealed');
    expect(unsealed.stderr).toBe(warning('link'));
    expect((await hush(['unseal'], { input: sealed })).stderr).toBe('');
    for (const r of [byArgument, status, revoked, unsealed]) expect(r.stderr).not.toContain(fragment);
  });

  it('respond and request wait take a fingerprint and an id, not a key: no warning', async () => {
    const keyDir = tempDir();
    const made = await hush(['request', '--key-dir', keyDir], { env });
    expect(made.code, made.stderr).toBe(0);
    const link = made.stdout.trim();
    const answered = await hush(['respond', link], { input: 'for the requester' });
    expect(answered.code, answered.stderr).toBe(0);
    expect(answered.stderr).not.toContain('warning');
    const id = /\/r\/([A-Za-z0-9_-]{22})#/.exec(link)![1]!;
    const got = await hush(['request', 'wait', id, '--key-dir', keyDir]);
    expect(got.stdout).toBe('for the requester');
    expect(got.stderr).toBe('');
  });

  it('hush serve warns about each flag holding a secret, naming its variable and never its value; not for hashes, URLs or the environment', async () => {
    const values = {
      'pow-key': 'POW-KEY-VALUE-0123456789',
      'turnstile-secret': 'TURNSTILE-SECRET-VALUE',
      'webhook-secret': 'WEBHOOK-SECRET-VALUE-0123456789abcdef',
      'origin-lock': 'ORIGIN-LOCK-VALUE-0123456789',
    };
    const store = 'postgres://hush:STORE-PASSWORD@127.0.0.1:1/hush';
    // A bad --port ends each run with a configuration error, after the warnings, before serving.
    const flagged = await hush(['serve', ...Object.entries(values).flatMap(([k, v]) => [`--${k}`, v]), `--store=${store}`, '--api-tokens', `sha256:${'0'.repeat(64)}`, '--webhooks', 'https://example.com/hook', '--port', 'eighty']);
    expect(flagged.code).toBe(1);
    const lines = flagged.stderr.split('\n').filter((l) => l.includes('warning'));
    expect(lines).toEqual(
      [...Object.keys(values), 'store'].map(
        (flag) => `hush: warning: --${flag} given as an argument is visible in shell history and to other users (ps); prefer HUSH_${flag.toUpperCase().replaceAll('-', '_')}.`,
      ),
    );
    for (const v of [...Object.values(values), 'STORE-PASSWORD']) expect(flagged.stderr).not.toContain(v);

    const fromEnv = await hush(['serve', '--store', 'sqlite:/nonexistent/hush.db', '--port', 'eighty'], {
      env: { HUSH_POW_KEY: values['pow-key'], HUSH_ORIGIN_LOCK: values['origin-lock'], HUSH_WEBHOOK_SECRET: values['webhook-secret'] },
    });
    expect(fromEnv.code).toBe(1);
    expect(fromEnv.stderr).toMatch(/^hush: configuration error: /);
    expect(fromEnv.stderr).not.toContain('warning');
  });
});

describe('hush token', () => {
  it('prints a 256-bit token and the HUSH_API_TOKENS line a server accepts it with', async () => {
    const r = await hush(['token']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^[A-Za-z0-9_-]{43}\n$/);
    const token = r.stdout.trim();
    expect(Buffer.from(token, 'base64url')).toHaveLength(32);
    const hex = createHash('sha256').update(token, 'utf8').digest('hex');
    expect(r.stderr).toMatch(new RegExp(`^HUSH_API_TOKENS=sha256:${hex}$`, 'm'));
    const other = (await hush(['token'])).stdout.trim();
    expect(other).not.toBe(token);
    // Never one that `--token` would take for an option (1 in 64 random tokens starts with '-').
    const many = await Promise.all(Array.from({ length: 100 }, () => hush(['token'])));
    expect(many.filter((m) => m.stdout.startsWith('-'))).toEqual([]);

    const guarded = await startServer({ createPolicy: 'token', apiTokens: [hex], challenge: 'pow' });
    try {
      const withToken = await send('token holder', [], { HUSH_SERVER: guarded.url, HUSH_API_TOKEN: token });
      expect((await hush(['open', withToken.link])).stdout).toBe('token holder');
      const viaFlag = await hush(['send', '--token', token], { input: 'flag holder', env: { HUSH_SERVER: guarded.url } });
      expect(viaFlag.code, viaFlag.stderr).toBe(0);
      expect(viaFlag.stderr).toMatch(/^hush: warning: .*HUSH_API_TOKEN/m);
      const wrong = await hush(['send'], { input: 'intruder', env: { HUSH_SERVER: guarded.url, HUSH_API_TOKEN: other } });
      expectFailure(wrong, 3, /API token is not valid/);
      expect(wrong.stderr).not.toContain(other);
    } finally {
      await guarded.close();
    }
  });
});

describe('ids that begin with "-"', () => {
  // One id in 64 begins with "-": `hush request` prints `hush request wait <id>`, which must work.
  const dashId = '-93TYLGl3XUMbwIQfuwEtQ';
  it('parse as the id, before or after options, not as an unknown option', () => {
    const options = { every: { type: 'string' }, help: { type: 'boolean', short: 'h' } } as const;
    for (const args of [[dashId, '--every', '1s'], ['--every', '1s', dashId]]) {
      const parsed = parseCommand('request wait', args, options, 1);
      expect(parsed.positionals).toEqual([dashId]);
      expect(parsed.values.every).toBe('1s');
    }
    // Something that is not exactly an id's shape is still refused as an unknown option.
    expect(() => parseCommand('request wait', [dashId.slice(0, -1)], options, 1)).toThrow(/unknown option/);
  });

  it('hush request wait and cancel take such an id', async () => {
    const home = tempDir();
    for (const sub of ['wait', 'cancel']) {
      const r = await hush(['request', sub, dashId], { env: { HOME: home } });
      expect(r.code, r.stderr).toBe(1);
      expect(r.stderr).toContain(`no key file for request ${dashId}`);
    }
    rmSync(home, { recursive: true, force: true });
  });
});

describe('usage errors and failures', () => {
  const usage: [string, string[], string | Buffer | undefined, RegExp][] = [
    ['no command', [], undefined, /Usage: hush <command>/],
    ['an unknown command', ['sned'], 'x', /unknown command sned, did you mean send\?/],
    ['a command far from any known one', ['s3cr3t-value'], 'x', /^hush: unknown command \(see hush --help\)/],
    ['an unknown option', ['send', '--tll', '1h'], 'x', /unknown option --tll, did you mean --ttl\?/],
    ['a bad --ttl', ['send', '--ttl', 'soon'], 'x', /--ttl expects a duration/],
    ['--views 0', ['send', '--views', '0'], 'x', /--views expects a whole number/],
    ['an empty secret on stdin', ['send'], '', /the secret is empty/],
    ['two secrets', ['send', 'a', 'b'], undefined, /too many arguments/],
    ['a missing --message-file', ['send', '--message-file', '/nonexistent/secret.txt'], undefined, /cannot read the secret .*ENOENT/],
    ['a missing --file', ['send', '--file', '/nonexistent/key.pem'], undefined, /cannot read the file "\/nonexistent\/key.pem" \(ENOENT\)/],
    ['a directory as --file', ['send', '--file', '/tmp'], undefined, /"\/tmp" is not a file/],
    ['--file on a stateless link', ['seal', '--file', '/etc/hostname'], 'x', /a stateless link carries text only: attach files to a one-time secret/],
    ['--file on an answer to a request', ['respond', '--file', '/etc/hostname', 'http://127.0.0.1:1/r/AAAAAAAAAAAAAAAAAAAAAA#AAAAAAAAAAAAAAAAAAAAAA'], 'x', /an answer to a request carries text only/],
    ['a secret that is not UTF-8', ['send'], Buffer.from([0xff, 0xfe, 0x41]), /the secret is not UTF-8 text\. To send binary data, attach it as a file/],
    ['an option without its value', ['send', '--ttl'], 'x', /--ttl needs a value/],
    ['a link that is not a link', ['open', 'not a link'], undefined, /Not a valid Hush link/],
    ['a damaged link key', ['open', 'http://127.0.0.1:1/s/AAAAAAAAAAAAAAAAAAAAAA#short'], undefined, /Not a valid Hush link: the key/],
    ['a bad --server', ['send', '--server', 'ftp://example.com'], 'x', /--server must be an http\(s\) origin/],
    ['arguments to token', ['token', 'extra'], undefined, /takes no arguments/],
  ];
  for (const [name, args, input, message] of usage) {
    it(`exits 2 on ${name}`, async () => {
      const r = await hush(args, { ...(input === undefined ? {} : { input }), env });
      expect(r.code, r.stderr).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(message);
    });
  }

  it('a server that is down exits 3 with a clear message', async () => {
    const port = await deadPort();
    const r = await hush(['send'], { input: 'nowhere to go', env: { HUSH_SERVER: `http://127.0.0.1:${String(port)}` } });
    expectFailure(r, 3, `Could not reach the Hush server at http://127.0.0.1:${String(port)}`);
    const o = await hush(['open', `http://127.0.0.1:${String(port)}/s/AAAAAAAAAAAAAAAAAAAAAA#${'A'.repeat(43)}`]);
    expectFailure(o, 3, 'Could not reach');
  });

  it('error output never carries the secret, the link key or the passphrase', async () => {
    const secret = 'TOP-SECRET-VALUE-1234';
    const passphrase = 'PASSPHRASE-VALUE-5678';
    const { link, manageLink, fragment } = await send(secret, [], { HUSH_PASSPHRASE: passphrase });
    const manageFragment = manageLink.split('#')[1]!;
    const failures = [
      await hush(['open', link], { env }),
      await hush(['open', link], { env: { ...env, HUSH_PASSPHRASE: 'not it' } }),
      await hush(['open', `${link}x`], { env }),
      await hush(['open', link, 'extra'], { env }),
      await hush(['unseal', link], { env }),
      await hush(['status', `${manageLink}x`], { env }),
      await hush(['send', '--ttl', secret], { input: secret, env }),
      await hush(['send', `--${secret}`], { input: secret, env }),
      await hush(['send', '--views', secret], { input: secret, env }),
      await hush(['send'], { input: secret, env: { HUSH_SERVER: `http://127.0.0.1:${String(await deadPort())}`, HUSH_PASSPHRASE: passphrase } }),
      await hush(['seal'], { input: `${secret}${'z'.repeat(3_000)}`, env }),
    ];
    for (const r of failures) {
      expect(r.code).not.toBe(0);
      expect(r.stderr).toMatch(/^hush: /);
      for (const hidden of [secret, passphrase, fragment, manageFragment]) expect(r.stderr).not.toContain(hidden);
    }
    // None of these used the secret up.
    const ok = await hush(['open', link], { env: { ...env, HUSH_PASSPHRASE: passphrase } });
    expect(ok.stdout).toBe(secret);
  });

  it('--help and --version', async () => {
    const help = await hush(['--help']);
    expect(help.code).toBe(0);
    for (const command of ['send', 'open', 'status', 'revoke', 'seal', 'unseal', 'token', 'serve']) expect(help.stdout).toContain(`  ${command} `);
    const sendHelp = await hush(['send', '-h']);
    expect(sendHelp.code).toBe(0);
    expect(sendHelp.stdout).toMatch(/^Usage: hush send/);
    expect(sendHelp.stdout).toContain('--passphrase-file');
    const version = await hush(['--version']);
    expect(version.stdout).toBe(`${VERSION}\n`);
    // The help says how ESC is shown (\x1b), in those four characters: it holds no ESC itself.
    const openHelp = await hush(['open', '--help']);
    expect(openHelp.stdout).toContain('shown visibly, e.g. \\x1b, not obeyed');
  });

  it('every help text is plain text: no control character but newline', () => {
    // eslint-disable-next-line no-control-regex -- control characters are what is looked for
    const control = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/;
    for (const [name, text] of [['hush', USAGE], ...Object.entries(COMMAND_USAGE)]) expect(control.exec(text!)?.[0], name).toBeUndefined();
  });

  it('the launcher says to build first when dist/ is missing (exit 3)', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'bin'));
    copyFileSync(new URL('../bin/hush.js', import.meta.url), join(dir, 'bin', 'hush.js'));
    const r = await hush(['--version'], { bin: join(dir, 'bin', 'hush.js') });
    expectFailure(r, 3, 'run npm run build first');
  });
});

describe('hush serve', () => {
  it('takes every setting as --flag value or --flag=value, answers the API, and stops on SIGTERM', async () => {
    const dir = tempDir();
    const child = spawnHush(['serve', '--port', '0', `--store=sqlite:${join(dir, 'hush.db')}`, '--admin-port', 'off', '--rate-limit=off', '--challenge', 'off', '--max-views', '7'], {
      // Client variables do not trip the server's check for unknown HUSH_* settings.
      env: { HUSH_LOG_LEVEL: 'info', HUSH_API_TOKEN: 'client-only', HUSH_PASSPHRASE: 'client-only' },
    });
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    let output = '';
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout!.on('data', (d: Buffer) => {
        output += d.toString();
        const m = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
        if (m) resolve(m[1]!);
      });
      child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
      void exited.then((code) => reject(new Error(`serve exited (${String(code)}): ${output}`)));
    });
    try {
      const info = (await (await fetch(`${url}/api/v1/info`)).json()) as { version: string; limits: { maxViews: number } };
      expect(info.version).toBe(VERSION);
      expect(info.limits.maxViews).toBe(7);
      const { link } = await send('served by hush serve', [], { HUSH_SERVER: url });
      expect((await hush(['open', link])).stdout).toBe('served by hush serve');
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
  });

  it('a bad setting is a configuration error (exit 1); an unknown flag is a usage error (exit 2)', async () => {
    expectFailure(await hush(['serve', '--port', 'eighty']), 1, /hush: configuration error: --port/);
    expectFailure(await hush(['serve', '--prot', '8080']), 2, /unknown option --prot, did you mean --port\?/);
  });
});
