// `hush send --split K-of-N` and `hush combine` (docs/protocol.md §15) end to end: the real CLI
// (dist/, so `npm run build` first) against a real server on a real port. What a failed combine
// uses up is read back from the sender's manage links, as the sender would.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recoverSplitKey } from '../src/lib.js';
import { launchChromium, watchedPage } from './helpers/browser.js';
import { hush } from './helpers/cli.js';
import { cliSession, env, expectFailure, s, tempDir } from './helpers/cli-session.js';

cliSession();

const SHARE_LINE = /^share (\d+) of (\d+): (http:\/\/127\.0\.0\.1:\d+\/s\/[A-Za-z0-9_-]{22}#share\.\d+\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43})$/;
const MANAGE_LINE = /^manage \((.+)\): (http:\/\/127\.0\.0\.1:\d+\/m\/[A-Za-z0-9_-]{22}#[A-Za-z0-9_-]{43})$/;

interface Split {
  shares: string[];
  shareManage: string[];
  vaultManage: string;
}

/** `hush send --split …` with the secret piped in; asserts the labelled lines and returns the links. */
async function sendSplit(secret: string, args: string[], extraEnv: Record<string, string> = {}): Promise<Split> {
  const r = await hush(['send', ...args], { input: secret, env: { ...env, ...extraEnv } });
  expect(r.code, r.stderr).toBe(0);
  const lines = r.stdout.trimEnd().split('\n').map((l) => SHARE_LINE.exec(l));
  expect(lines.every((m) => m !== null), r.stdout).toBe(true);
  lines.forEach((m, i) => expect(m![1]).toBe(String(i + 1)));
  const manage = r.stderr.split('\n').flatMap((l) => {
    const m = MANAGE_LINE.exec(l);
    return m === null ? [] : [{ what: m[1]!, link: m[2]! }];
  });
  expect(manage[0]!.what).toBe('the secret itself');
  expect(manage.slice(1).map((m) => m.what)).toEqual(lines.map((_, i) => `share ${String(i + 1)} of ${String(lines.length)}`));
  return { shares: lines.map((m) => m![3]!), shareManage: manage.slice(1).map((m) => m.link), vaultManage: manage[0]!.link };
}

/** The state and views left of a secret, from its manage link. */
async function state(manageLink: string): Promise<string> {
  const r = await hush(['status', '--json'], { input: manageLink, env });
  expect(r.code, r.stderr).toBe(0);
  const status = JSON.parse(r.stdout) as { state: string; viewsLeft: number };
  return `${status.state} ${String(status.viewsLeft)}`;
}

const combineLinks = (links: string[], extraEnv: Record<string, string> = {}, args: string[] = []): ReturnType<typeof hush> =>
  hush(['combine', ...args], { input: links.join('\n'), env: { ...env, ...extraEnv } });

describe('hush send --split and hush combine', () => {
  it('send --split 2-of-3, then combine with shares 1 and 3 gives the secret; share 2 is untouched and the secret is gone after', async () => {
    const split = await sendSplit('break glass: root pw\n', ['--split', '2-of-3']);
    expect(split.shares).toHaveLength(3);
    const r = await combineLinks([split.shares[0]!, split.shares[2]!]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('break glass: root pw\n');
    expect(r.stderr).toMatch(/^hush: combined link 1 \(share 1 of 3\), link 2 \(share 3 of 3\); the secret is now erased from the server\.\n$/);
    expect(await state(split.vaultManage)).toBe('consumed 0');
    expect(await state(split.shareManage[0]!)).toBe('consumed 0');
    expect(await state(split.shareManage[1]!)).toBe('pending 1');
    // The vault is gone: share 2 and a spare view of nothing cannot open it again.
    const again = await combineLinks([split.shares[1]!, split.shares[0]!]);
    expectFailure(again, 1, /needs 2 shares; 1 of the 2 different shares given can still be opened \(gone — read, expired or revoked: link 2\)\. Nothing was used up\./);
    expect(await state(split.shareManage[1]!)).toBe('pending 1');
  });

  it('one share only is a clear error and uses nothing up; that share still opens later with another', async () => {
    const split = await sendSplit('two needed', ['--split', '2-of-3']);
    const r = await combineLinks([split.shares[1]!]);
    expectFailure(r, 1, 'This secret needs 2 shares; 1 of the 1 different shares given can still be opened. Nothing was used up.');
    // The same share twice still counts once.
    expectFailure(await combineLinks([split.shares[1]!, split.shares[1]!]), 1, /needs 2 shares; 1 of the 1 different/);
    expect(await state(split.shareManage[1]!)).toBe('pending 1');
    expect(await state(split.vaultManage)).toBe('pending 1');
    const ok = await combineLinks([split.shares[1]!, split.shares[0]!]);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toBe('two needed');
  });

  it('a revoked share leaves the others: the other two combine', async () => {
    const split = await sendSplit('after a revoke', ['--split', '2-of-3']);
    expect((await hush(['revoke'], { input: split.shareManage[0]!, env })).code).toBe(0);
    expectFailure(await combineLinks([split.shares[0]!, split.shares[1]!]), 1, /link 1\)\. Nothing was used up\./);
    expect(await state(split.shareManage[1]!)).toBe('pending 1');
    const ok = await combineLinks([split.shares[1]!, split.shares[2]!]);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toBe('after a revoke');
  });

  it('shares of two different secrets are refused before anything is used up', async () => {
    const [a, b] = [await sendSplit('secret a', ['--split', '2-of-2']), await sendSplit('secret b', ['--split', '2-of-2'])];
    expectFailure(await combineLinks([a.shares[0]!, b.shares[1]!]), 1, 'links 1 and 2 are shares of different secrets: combine the shares of one secret. Nothing was used up.');
    for (const m of [...a.shareManage, ...b.shareManage]) expect(await state(m)).toBe('pending 1');
  });

  it('a share link given to hush open is refused with a pointer to hush combine, and nothing is used up', async () => {
    const split = await sendSplit('not for open', ['--split', '2-of-2']);
    const r = await hush(['open'], { input: split.shares[0]!, env });
    expectFailure(r, 2, /one share of a split secret: it opens only together with the other shares \(hush combine LINK…\)/);
    expect(await state(split.shareManage[0]!)).toBe('pending 1');
  });

  it('--views per share: a share can take part in a second combine, and then the secret itself is gone', async () => {
    const split = await sendSplit('views per share', ['--split', '2-of-3', '--views', '2', '--ttl', '1h']);
    expect((await combineLinks([split.shares[0]!, split.shares[1]!])).stdout).toBe('views per share');
    expect(await state(split.shareManage[0]!)).toBe('pending 1');
    const r = await combineLinks([split.shares[0]!, split.shares[2]!]);
    expectFailure(r, 1, 'were used up and gave the right key, but the secret itself is gone: already combined, revoked by its sender, or expired.');
  });

  it('files and a passphrase: refused without the passphrase (nothing used up), then saved to --out', async () => {
    const dir = tempDir();
    const file = join(dir, 'recovery-codes.txt');
    writeFileSync(file, 'code-1\ncode-2\n');
    const split = await sendSplit('with a file', ['--split', '2-of-2', '--file', file], { HUSH_PASSPHRASE: 'correct horse' });
    expectFailure(await combineLinks(split.shares), 1, /protected by a passphrase/);
    expect(await state(split.shareManage[0]!)).toBe('pending 1');
    const out = tempDir();
    const r = await combineLinks(split.shares, { HUSH_PASSPHRASE: 'correct horse' }, ['--out', out, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const got = JSON.parse(r.stdout) as { message: string; files: { name: string; path: string }[]; k: number; n: number; sharesUsed: unknown[] };
    expect(got).toMatchObject({ message: 'with a file', k: 2, n: 2, sharesUsed: [{ link: 1, index: 1 }, { link: 2, index: 2 }] });
    expect(readFileSync(got.files[0]!.path, 'utf8')).toBe('code-1\ncode-2\n');
  });

  it('--json prints the shares and the manage links; status of a share works as for any secret', async () => {
    const r = await hush(['send', '--split', '3-of-5', '--json'], { input: 'json', env });
    expect(r.code, r.stderr).toBe(0);
    const sent = JSON.parse(r.stdout) as { k: number; n: number; vault: { id: string; manageLink: string }; shares: { index: number; link: string; manageLink: string; views: number }[] };
    expect(sent).toMatchObject({ k: 3, n: 5 });
    expect(sent.shares.map((x) => x.index)).toEqual([1, 2, 3, 4, 5]);
    const st = await hush(['status'], { input: sent.shares[3]!.manageLink, env });
    expect(st.stdout).toMatch(/^state: +pending/);
  });

  it('the library rebuilds the key without opening the secret; its own link then opens once with hush open', async () => {
    const split = await sendSplit('kept for later', ['--split', '2-of-3']);
    const recovered = await recoverSplitKey([split.shares[2]!, split.shares[0]!]);
    expect(recovered.used.map((u) => u.record?.index)).toEqual([3, 1]);
    expect(await state(split.vaultManage)).toBe('pending 1');
    const r = await hush(['open'], { input: recovered.vaultLink, env });
    expect(r.stdout).toBe('kept for later');
  });

  it('--split refuses K-of-N out of bounds and --to or --recipient with a usage error, storing nothing', async () => {
    const before = (await s.store.stats()).liveSecrets;
    for (const bad of ['1-of-3', '4-of-3', '2-of-11', 'two-of-three', '2of3']) {
      expectFailure(await hush(['send', '--split', bad], { input: 'x', env }), 2, /--split expects K-of-N with 2 ≤ K ≤ N ≤ 10/);
    }
    expectFailure(await hush(['send', '--split', '2-of-3', '--to', 'age1qqqq'], { input: 'x', env }), 2, /--split and --to cannot be combined/);
    expectFailure(await hush(['send', '--split', '2-of-3', '--recipient', 'a@example.com'], { input: 'x', env }), 2, /--split and --recipient cannot be combined/);
    expect((await s.store.stats()).liveSecrets).toBe(before);
  });
});

describe('the reveal page and a share link', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(() => browser.close());

  it('the reveal page says a share link opens only with the others, sends no request and uses nothing up', async () => {
    const split = await sendSplit('not in a browser yet', ['--split', '2-of-2']);
    const w = await watchedPage(await browser.newContext());
    const api: string[] = [];
    w.page.on('request', (r) => {
      if (r.url().includes('/api/')) api.push(r.url());
    });
    await w.page.goto(split.shares[0]!);
    await w.page.waitForSelector('#gone:not([hidden])');
    expect(await w.page.textContent('#gone')).toMatch(/^This link is one share of a secret split between several people/);
    expect(await w.page.isVisible('#reveal')).toBe(false);
    expect(api).toEqual([]);
    expect(w.errors).toEqual([]);
    expect(await state(split.shareManage[0]!)).toBe('pending 1');
    expect((await combineLinks(split.shares)).stdout).toBe('not in a browser yet');
  });
});
