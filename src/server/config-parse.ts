// The parsers of the configuration's values (config.ts): each turns the raw text of an
// environment variable or flag into its value, or throws a ConfigError saying what was expected.
import { parseDuration } from '../shared/duration.js';

export interface RateWindow {
  readonly max: number;
  /** Milliseconds. */
  readonly window: number;
}

export class ConfigError extends Error {}

export function int(min: number, max: number) {
  return (raw: string): number => {
    if (!/^[0-9]+$/.test(raw.trim())) throw new ConfigError(`expected a whole number, got "${raw}"`);
    const n = Number(raw);
    if (n < min || n > max) throw new ConfigError(`must be between ${String(min)} and ${String(max)}, got ${raw}`);
    return n;
  };
}

export function seconds(min: number, max: number) {
  return (raw: string): number => {
    const n = parseDuration(raw);
    if (n === null) throw new ConfigError(`expected a duration such as 3600, 90s, 5m, 1h or 7d, got "${raw}"`);
    if (n < min || n > max) throw new ConfigError(`must be between ${String(min)}s and ${String(max)}s, got ${String(n)}s`);
    return n;
  };
}

export function bytes(min: number, max: number) {
  return (raw: string): number => {
    const m = /^([0-9]+)\s*(|b|k|kib|m|mib|g|gib)$/i.exec(raw.trim());
    if (!m) throw new ConfigError(`expected a size such as 1048576, 512KiB, 1MiB or 1GiB, got "${raw}"`);
    const mult = { '': 1, b: 1, k: 1024, kib: 1024, m: 1024 ** 2, mib: 1024 ** 2, g: 1024 ** 3, gib: 1024 ** 3 }[m[2]!.toLowerCase()] ?? 1;
    const n = Number(m[1]) * mult;
    if (n < min || n > max) throw new ConfigError(`must be between ${String(min)} and ${String(max)} bytes`);
    return n;
  };
}

export const DAY = 86_400;

export function bool(raw: string): boolean {
  const t = raw.trim().toLowerCase();
  if (['on', 'true', 'yes', '1'].includes(t)) return true;
  if (['off', 'false', 'no', '0'].includes(t)) return false;
  throw new ConfigError(`expected on or off, got "${raw}"`);
}

export function oneOf<T extends string>(values: readonly T[]) {
  return (raw: string): T => {
    const found = values.find((v) => v === raw.trim());
    if (found === undefined) throw new ConfigError(`must be one of ${values.join(', ')}, got "${raw}"`);
    return found;
  };
}

/** A parser from elsewhere, its errors turned into configuration errors. */
export function wrapped<T>(parse: (raw: string) => T, raw: string): T {
  try {
    return parse(raw);
  } catch (e) {
    throw new ConfigError((e as Error).message);
  }
}

export const list = (raw: string): string[] => raw.split(',').map((x) => x.trim()).filter((x) => x !== '');

const UNIT_MS: Record<string, number> = { s: 1000, sec: 1000, min: 60_000, m: 60_000, h: 3_600_000, hour: 3_600_000, d: 86_400_000, day: 86_400_000 };

/** Parses `10/min,100/h` into windows. */
export function parseRates(raw: string): RateWindow[] {
  const out = list(raw).map((part) => {
    const m = /^([0-9]{1,7})\s*\/\s*([a-z]+)$/.exec(part.toLowerCase());
    const ms = m ? UNIT_MS[m[2]!] : undefined;
    if (!m || ms === undefined || Number(m[1]) < 1) throw new ConfigError(`expected limits such as 10/min,100/h, got "${raw}"`);
    return { max: Number(m[1]), window: ms };
  });
  if (out.length === 0) throw new ConfigError('expected at least one limit such as 10/min');
  return out;
}

export function hostName(raw: string): string {
  if (!/^[0-9A-Za-z.:[\]-]+$/.test(raw)) throw new ConfigError(`not a host name or address: "${raw}"`);
  return raw;
}

export function header(raw: string): string {
  const t = raw.trim().toLowerCase();
  if (!/^[a-z0-9-]{1,64}$/.test(t)) throw new ConfigError(`not a header name: "${raw}"`);
  return t;
}

export function secret(minLength: number) {
  return (raw: string): string => {
    if (raw.length < minLength) throw new ConfigError(`must be at least ${String(minLength)} characters`);
    return raw;
  };
}
