// Writes test/vectors/v1.json from fixed inputs, using the built protocol module (npm run build).
// The vectors are committed; tests recompute them with the protocol module AND independently with
// node:crypto, in both directions. Run again only when adding vectors: existing values must not change.
import { createECDH } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import * as p from '../dist/protocol/index.js';

const seq = (start, n) => Uint8Array.from({ length: n }, (_, i) => (start + i) & 0xff);
const hex = (b) => Buffer.from(b).toString('hex');
const k = seq(0x00, 32);
const iv = seq(0xa0, 12);
const salt = seq(0x10, 16);
const iterations = 600_000;
const origin = 'https://hush.example';
const id = p.b64uEncode(seq(0xf0, 16));
const message = 'correct horse battery staple';
const expiresAt = 1893456000; // 2030-01-01T00:00:00Z
// "café" with a combining acute accent (NFD); docs/protocol.md §2 normalises to NFC first.
const passphrase = 'Tr0ub4dor&3 cafe\u0301';

const envelope = p.encodeEnvelope({ message, expiresAt });
const link = await p.deriveLinkKeys(k);
const stored = await p.sealContainer(link.encKey, envelope, iv);

const pk = await p.derivePassphraseKey(passphrase, salt, iterations);
const pp = await p.derivePassphraseKeys(k, pk);
const storedPp = await p.sealContainer(pp.encKey, envelope, iv);

const statelessEnvelope = p.encodeEnvelope({ message: 'stateless hello', expiresAt });
const statelessKey = await p.sealContainer(link.encKey, statelessEnvelope, iv);
const sp = await p.deriveStatelessPassphraseKey(pk);
const statelessPp = await p.sealContainer(sp.encKey, statelessEnvelope, iv);

// An envelope with two files (§4 "f"): one binary (every byte value), one with a non-ASCII name.
const files = [
  { name: 'id_ed25519', type: 'application/octet-stream', content: seq(0x00, 256) },
  { name: 'Grüße 日本.env', type: 'text/plain', content: p.utf8Encode('API_KEY=s3cr3t\n') },
];
const filesEnvelope = p.encodeEnvelope({ message: 'the deploy keys', expiresAt, files });
const filesContainer = await p.sealContainer(link.encKey, filesEnvelope, iv);

const rawText = p.utf8Encode('plain old text, not an envelope');
const raw = await p.sealContainer(link.encKey, rawText, iv);
const future = await p.sealContainer(link.encKey, p.utf8Encode('{"v":2,"m":"from the future"}'), iv);
const expired = await p.sealContainer(link.encKey, p.encodeEnvelope({ message: 'too late', expiresAt: 1577836800 }), iv);

// Requests (docs/protocol.md §7): fixed P-256 private keys (any 32 bytes below the group order),
// as JWKs; node:crypto computes their public points.
const ecJwk = (d) => {
  const ecdh = createECDH('prime256v1');
  ecdh.setPrivateKey(Buffer.from(d));
  const pub = ecdh.getPublicKey();
  return { kty: 'EC', crv: 'P-256', d: p.b64uEncode(d), x: p.b64uEncode(pub.subarray(1, 33)), y: p.b64uEncode(pub.subarray(33)) };
};
const requesterJwk = ecJwk(seq(0x20, 32));
const ephemeralJwk = ecJwk(seq(0x60, 32));
const otherJwk = ecJwk(seq(0x80, 32));
const requester = await p.importRequesterKeys(requesterJwk);
const ephemeral = await p.importRequesterKeys(ephemeralJwk);
const requestNote = 'The staging API key, please — Ada';
const requestMessage = 'sk_test_51H… café';
const requestId = p.b64uEncode(seq(0xc0, 16));
const fingerprint = await p.requestFingerprint(requester.publicKey, requestNote);
const responseKey = await p.deriveResponseKey(ephemeral.privateKey, await p.importPublicKey(requester.publicKey), ephemeral.publicKey, requester.publicKey);
const responseEnvelope = p.encodeEnvelope({ message: requestMessage, expiresAt });
const response = await p.sealResponse(requester.publicKey, { message: requestMessage, expiresAt }, { ephemeral, iv });
const responseBytes = p.b64uDecode(response);
const flipResponse = (i) => {
  const c = Uint8Array.from(responseBytes);
  c[i] ^= 1;
  return p.b64uEncode(c);
};
// An ephemeral key that is not on the curve: x, y = 1, 1.
const offCurve = Uint8Array.from(responseBytes);
offCurve.fill(0, 1, 65);
offCurve[32] = 1;
offCurve[64] = 1;

const good = p.b64uEncode(stored);
const flip = (b, i) => {
  const c = Uint8Array.from(b);
  c[i] ^= 1;
  return p.b64uEncode(c);
};

/**
 * base64url of `bytes` (cut to a length that leaves spare bits in the last character: not a
 * multiple of 3) with the lowest spare bit set: decodes to the same bytes as the canonical text,
 * so a strict decoder must refuse it. (Flipping the last character of a text whose length leaves
 * no spare bits changes a data bit instead.)
 */
function nonCanonical(bytes) {
  const cut = bytes.length % 3 === 0 ? bytes.slice(0, -1) : bytes;
  const text = p.b64uEncode(cut);
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  return text.slice(0, -1) + alphabet[alphabet.indexOf(text.at(-1)) | 1];
}

const vectors = {
  description: 'Hush protocol v1 test vectors. Bytes are hex unless named *_b64u. See docs/protocol.md.',
  inputs: {
    k: hex(k), iv: hex(iv), salt: hex(salt), iterations, passphrase, passphrase_nfc: passphrase.normalize('NFC'),
    origin, id, message, expiresAt,
  },
  keys: {
    enc: hex(link.enc), auth: hex(link.auth), verifier: hex(link.verifier),
    auth_b64u: p.b64uEncode(link.auth), verifier_b64u: p.b64uEncode(link.verifier),
    pk: hex(pk), enc_passphrase: hex(pp.enc), proof: hex(pp.proof), proof_verifier: hex(pp.proofVerifier),
    proof_b64u: p.b64uEncode(pp.proof), proof_verifier_b64u: p.b64uEncode(pp.proofVerifier),
    enc_stateless_passphrase: hex(sp.enc),
  },
  envelopes: {
    stored: new TextDecoder().decode(envelope),
    stateless: new TextDecoder().decode(statelessEnvelope),
    files: {
      message: 'the deploy keys',
      files: files.map((f) => ({ name: f.name, type: f.type, content: hex(f.content) })),
      header: new TextDecoder().decode(filesEnvelope.subarray(0, filesEnvelope.indexOf(0x0a))),
      plaintext: hex(filesEnvelope),
    },
  },
  containers: {
    stored_b64u: good,
    stored_passphrase_b64u: p.b64uEncode(storedPp),
    raw_b64u: p.b64uEncode(raw),
    raw_text: new TextDecoder().decode(rawText),
    future_version_b64u: p.b64uEncode(future),
    expired_b64u: p.b64uEncode(expired),
    expired_at: 1577836800,
    files_b64u: p.b64uEncode(filesContainer),
  },
  links: {
    stored: p.formatSecretLink(origin, id, k),
    manage: p.formatManageLink(origin, id, p.b64uEncode(seq(0x40, 32))),
    stateless_key: `${origin}/l#${p.formatStatelessFragment({ kind: 'key', key: k, container: statelessKey })}`,
    stateless_passphrase: `${origin}/l#${p.formatStatelessFragment({ kind: 'passphrase', salt, iterations, container: statelessPp })}`,
  },
  request: {
    inputs: {
      requester_jwk: requesterJwk, ephemeral_jwk: ephemeralJwk, other_jwk: otherJwk,
      id: requestId, note: requestNote, message: requestMessage, expiresAt, iv: hex(iv), origin,
    },
    requester_public: hex(requester.publicKey),
    requester_public_b64u: p.b64uEncode(requester.publicKey),
    ephemeral_public: hex(ephemeral.publicKey),
    fingerprint: hex(fingerprint),
    fingerprint_b64u: p.b64uEncode(fingerprint),
    fingerprint_without_note_b64u: p.b64uEncode(await p.requestFingerprint(requester.publicKey, '')),
    link: p.formatRequestLink(origin, requestId, fingerprint),
    shared: hex(responseKey.shared),
    enc: hex(responseKey.enc),
    envelope: new TextDecoder().decode(responseEnvelope),
    response_b64u: response,
    // Every one of these must fail with the one error decryption_failed under the requester's key.
    bad_responses: [
      { why: 'empty', b64u: '' },
      { why: 'shorter than an ephemeral key and an empty container (92 bytes)', b64u: p.b64uEncode(responseBytes.slice(0, 92)) },
      { why: 'the container alone, without the ephemeral key', b64u: p.b64uEncode(responseBytes.slice(65)) },
      { why: 'ephemeral key not uncompressed (0x02 prefix)', b64u: (() => { const c = Uint8Array.from(responseBytes); c[0] = 2; return p.b64uEncode(c); })() },
      { why: 'ephemeral key not on the curve', b64u: p.b64uEncode(offCurve) },
      { why: 'ephemeral key altered', b64u: flipResponse(64) },
      { why: 'IV altered', b64u: flipResponse(65) },
      { why: 'ciphertext altered', b64u: flipResponse(80) },
      { why: 'tag altered', b64u: flipResponse(responseBytes.length - 1) },
      { why: 'truncated tag', b64u: p.b64uEncode(responseBytes.slice(0, -1)) },
      { why: 'padding', b64u: `${response}=` },
      { why: 'non-canonical trailing bits', b64u: nonCanonical(responseBytes) },
    ],
  },
  // Every one of these must fail with the one error `decryption_failed` under key k.
  bad_containers: [
    { why: 'empty', b64u: '' },
    { why: 'shorter than IV + tag (27 bytes)', b64u: p.b64uEncode(stored.slice(0, 27)) },
    { why: 'truncated tag', b64u: p.b64uEncode(stored.slice(0, stored.length - 1)) },
    { why: 'IV altered', b64u: flip(stored, 0) },
    { why: 'ciphertext altered', b64u: flip(stored, 12) },
    { why: 'tag altered', b64u: flip(stored, stored.length - 1) },
    { why: 'one byte appended', b64u: p.b64uEncode(Uint8Array.from([...stored, 0])) },
    { why: 'padding', b64u: `${good}=` },
    { why: 'standard base64 alphabet', b64u: good.replace(/-/g, '+').replace(/_/g, '/') + (good.includes('-') || good.includes('_') ? '' : '+') },
    { why: 'whitespace', b64u: `${good.slice(0, 10)} ${good.slice(10)}` },
    { why: 'non-canonical trailing bits', b64u: nonCanonical(stored) },
    { why: 'encrypted under the passphrase key, opened with the plain key', b64u: p.b64uEncode(storedPp) },
  ],
};
writeFileSync(new URL('../test/vectors/v1.json', import.meta.url), JSON.stringify(vectors, null, 2) + '\n');
console.log('wrote test/vectors/v1.json');
