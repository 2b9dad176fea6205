// Small helpers for HTTP tests: raw requests and a real secret made with the protocol module.
import { b64uEncode, readAuth, sealSecret, type Bytes } from '../../src/protocol/index.js';
import type { CreateResponse } from '../../src/protocol/api.js';

export interface Raw {
  status: number;
  headers: Headers;
  text: string;
  json: unknown;
}

export async function req(url: string, init: RequestInit & { json?: unknown } = {}): Promise<Raw> {
  const { json, ...rest } = init;
  const res = await fetch(url, {
    ...rest,
    headers: { ...(json === undefined ? {} : { 'content-type': 'application/json' }), ...(rest.headers as Record<string, string> | undefined) },
    ...(json === undefined ? {} : { body: JSON.stringify(json) }),
  });
  const text = await res.text();
  let parsed: unknown = undefined;
  try {
    parsed = JSON.parse(text);
  } catch {
    // not JSON
  }
  return { status: res.status, headers: res.headers, text, json: parsed };
}

export interface Made {
  id: string;
  manageToken: string;
  key: Bytes;
  keyB64u: string;
  auth: string;
  ciphertext: string;
  verifier: string;
  message: string;
  created: CreateResponse;
}

/** Creates a real secret through the API, as a client would. */
export async function makeSecret(base: string, options: { message?: string; ttl?: number; views?: number; passphrase?: string; notBefore?: string } = {}): Promise<Made> {
  const message = options.message ?? `secret-${Math.random().toString(36).slice(2)}`;
  const sealed = await sealSecret({ message, ...(options.passphrase === undefined ? {} : { passphrase: options.passphrase }) });
  const res = await req(`${base}/api/v1/secrets`, {
    method: 'POST',
    json: { ...sealed.body, ...(options.ttl === undefined ? {} : { ttl: options.ttl }), ...(options.views === undefined ? {} : { views: options.views }), ...(options.notBefore === undefined ? {} : { notBefore: options.notBefore }) },
  });
  if (res.status !== 201) throw new Error(`create failed: ${String(res.status)} ${res.text}`);
  const created = res.json as CreateResponse;
  return {
    id: created.id,
    manageToken: created.manageToken,
    key: sealed.key,
    keyB64u: b64uEncode(sealed.key),
    auth: await readAuth(sealed.key),
    ciphertext: sealed.body.ciphertext,
    verifier: sealed.body.verifier,
    message,
    created,
  };
}

export const post = (url: string, json: unknown): Promise<Raw> => req(url, { method: 'POST', json });
export const bearer = (token: string): Record<string, string> => ({ authorization: `Bearer ${token}` });
