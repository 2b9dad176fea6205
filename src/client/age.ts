// A stored secret whose link key is wrapped to the recipient's own age key (docs/protocol.md §14):
// the link carries an age file instead of the key, so leaking it gives nothing. The age format is
// age-encryption (typage, by age's author), never written here; this module only decides what goes
// in (the 32-byte link key) and how the flows around it run. The /a page (src/web/page-age.ts)
// unwraps with it too, bundled without the library's post-quantum, P-256 and scrypt code.
import { Decrypter, Encrypter } from 'age-encryption';
import type { Bytes } from '../protocol/bytes.js';
import { KEY_BYTES } from '../protocol/keys.js';
import { MAX_AGE_FILE_BYTES, formatAgeSecretLink, parseSecretLink, parseStoredSecretLink } from '../protocol/links.js';
import { HushApi, type ServerInfo } from './api.js';
import { ClientError, ProtocolError } from './errors.js';
import type { StoredSecretRef } from './open.js';
import type { Needs } from './runner.js';
import { sendSecret, type SendOptions, type SentSecret } from './send.js';

/** At most this many recipients per secret: each X25519 one adds about 130 characters to the link. */
export const MAX_AGE_RECIPIENTS = 10;

/** One non-comment line of an age recipients or identity file, with its 1-based line number. */
export interface AgeLine {
  line: number;
  value: string;
}

/**
 * The entries of a recipients file (`age -R`) or an identity file (`age -i`), read as age reads
 * them: one per line (a trailing CR dropped), lines starting with `#` and empty lines skipped,
 * nothing else trimmed.
 */
export function ageFileLines(text: string): AgeLine[] {
  return text.split('\n').flatMap((raw, i) => {
    const value = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    return value === '' || value.startsWith('#') ? [] : [{ line: i + 1, value }];
  });
}

const SSH_UNSUPPORTED =
  'SSH keys are not supported: age-encryption, the age library Hush uses, has no ssh-ed25519 or ssh-rsa recipients or identities. Make an age key with age-keygen';

/**
 * Checks recipients (age1…, as `age -r` takes them) with the age library, before anything is
 * encrypted or sent. `where` names each for the message (`--to #2`, `team.txt line 4`); a
 * recipient's text is never echoed.
 * @throws ClientError `invalid_option`
 */
export function checkAgeRecipients(recipients: readonly { value: string; where: string }[]): string[] {
  if (recipients.length === 0) throw new ClientError('invalid_option', 'Name at least one age recipient (age1…).');
  if (recipients.length > MAX_AGE_RECIPIENTS) throw new ClientError('invalid_option', `Name at most ${String(MAX_AGE_RECIPIENTS)} age recipients: each one makes the link longer.`);
  const probe = new Encrypter();
  return recipients.map(({ value, where }) => {
    if (value.startsWith('ssh-')) throw new ClientError('invalid_option', `${where}: ${SSH_UNSUPPORTED} (age-keygen -y key.txt prints its recipient).`);
    try {
      probe.addRecipient(value);
    } catch {
      throw new ClientError('invalid_option', `${where}: not an age recipient Hush can encrypt to (age1…, as age-keygen -y prints; plugin recipients are not supported).`);
    }
    return value;
  });
}

/**
 * What a line of an identity file is, told by how it starts, before the library reads it: an
 * X25519 or post-quantum age identity, or the first line of something Hush cannot use — a
 * passphrase-protected identity file (an age file, binary or armored), an SSH key, a plugin
 * identity — or anything else. Whether an identity is well formed is the library's to say.
 */
export function ageIdentityKind(value: string): 'x25519' | 'post-quantum' | 'passphrase-protected' | 'ssh' | 'plugin' | 'other' {
  if (value.startsWith('age-encryption.org/') || value.startsWith('-----BEGIN AGE')) return 'passphrase-protected';
  if (value.startsWith('-----BEGIN') || value.startsWith('ssh-')) return 'ssh';
  if (value.startsWith('AGE-PLUGIN-')) return 'plugin';
  if (value.startsWith('AGE-SECRET-KEY-PQ-1')) return 'post-quantum';
  return value.startsWith('AGE-SECRET-KEY-1') ? 'x25519' : 'other';
}

/**
 * Checks identities (AGE-SECRET-KEY-1…, as age-keygen writes them) with the age library.
 * @throws ClientError `invalid_option`
 */
export function checkAgeIdentities(identities: readonly { value: string; where: string }[]): string[] {
  const probe = new Decrypter();
  return identities.map(({ value, where }) => {
    const kind = ageIdentityKind(value);
    if (kind === 'passphrase-protected') {
      throw new ClientError('invalid_option', `${where}: a passphrase-protected identity file is not supported; decrypt it first (age -d -o key.txt key.age).`);
    }
    if (kind === 'ssh') throw new ClientError('invalid_option', `${where}: ${SSH_UNSUPPORTED}.`);
    try {
      probe.addIdentity(value);
    } catch {
      throw new ClientError('invalid_option', `${where}: not an age identity Hush can use (AGE-SECRET-KEY-1…, as age-keygen writes; plugin identities are not supported).`);
    }
    return value;
  });
}

/** Wraps a link key to age recipients: the age file whose plaintext is exactly the 32 bytes of k. */
export async function wrapLinkKey(key: Uint8Array, recipients: readonly string[]): Promise<Bytes> {
  const encrypter = new Encrypter();
  for (const r of recipients) encrypter.addRecipient(r);
  const file = new Uint8Array(await encrypter.encrypt(key));
  if (file.length > MAX_AGE_FILE_BYTES) throw new ClientError('invalid_option', 'These age recipients make the link too long: name fewer of them.');
  return file;
}

/**
 * Unwraps the link key from an age file with the reader's identities. Runs locally: nothing is
 * sent, so a missing or wrong identity uses up nothing.
 * @throws ClientError `identity_required`, `wrong_identity`; ProtocolError `invalid_link` (an age file that does not hold a link key)
 */
export async function unwrapLinkKey(ageFile: Uint8Array, identities: readonly string[]): Promise<Bytes> {
  if (identities.length === 0) {
    throw new ClientError('identity_required', 'This secret is encrypted to an age key: give the matching identity file with --identity FILE (as age-keygen writes it). Nothing was used up.');
  }
  const decrypter = new Decrypter();
  for (const i of identities) decrypter.addIdentity(i);
  let plain: Uint8Array;
  try {
    plain = await decrypter.decrypt(ageFile);
  } catch (e) {
    if (e instanceof Error && /no identity matched/.test(e.message)) {
      throw new ClientError('wrong_identity', 'None of the given identities can open this secret: it was encrypted to other age keys. Nothing was used up.');
    }
    throw new ProtocolError('invalid_link', 'the age file in the link is damaged');
  }
  if (plain.length !== KEY_BYTES) throw new ProtocolError('invalid_link', 'the age file in the link does not hold a link key');
  return new Uint8Array(plain);
}

/**
 * Sends a stored secret as sendSecret does, with its fresh link key wrapped to `to` (checked with
 * checkAgeRecipients). The key is wrapped before the secret is stored, so a failure stores
 * nothing; the link printed carries the age file instead of the key.
 */
export async function sendToAge(
  options: SendOptions & { to: readonly string[] },
  runner: Needs<'seal' | 'solvePow'>,
  info?: ServerInfo,
): Promise<SentSecret> {
  let ageFile: Bytes | undefined;
  const wrapping: Needs<'seal' | 'solvePow'> = {
    solvePow: (c) => runner.solvePow(c),
    seal: async (o) => {
      const sealed = await runner.seal(o);
      ageFile = await wrapLinkKey(sealed.key, options.to);
      return sealed;
    },
  };
  const sent = await sendSecret(options, wrapping, info);
  const { origin, id } = parseSecretLink(sent.link);
  if (ageFile === undefined) throw new Error('the link key was not wrapped');
  return { ...sent, link: formatAgeSecretLink(origin, id, ageFile) };
}

/**
 * A stored link of either form as a reader holds it: the key from the fragment, or unwrapped from
 * the age file with `identities` (locally, before any request).
 */
export async function storedSecretRef(link: string, identities: readonly string[], options: { server?: string; fetch?: typeof fetch } = {}): Promise<StoredSecretRef> {
  const parsed = parseStoredSecretLink(link);
  const key = parsed.kind === 'key' ? parsed.key : await unwrapLinkKey(parsed.ageFile, identities);
  return { api: new HushApi(options.server ?? parsed.origin, options.fetch), id: parsed.id, key };
}

/** The age file an `age.…` link carries, for `age -d -i key.txt` (which prints the 32-byte link key). */
export function exportAgeFile(link: string): Bytes {
  const parsed = parseStoredSecretLink(link);
  if (parsed.kind !== 'age') throw new ClientError('invalid_option', 'This link carries its key itself, not an age file: there is nothing to export.');
  return parsed.ageFile;
}
