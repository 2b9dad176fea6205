/**
 * Parses a duration such as `90`, `90s`, `5m`, `1h`, `7d` or `1h30m` into whole seconds.
 * Returns null when the text is not a duration. Pure; shared by the server config, CLI and pages.
 */
export function parseDuration(text: string): number | null {
  const t = text.trim().toLowerCase();
  if (/^[0-9]{1,10}$/.test(t)) return Number(t);
  const re = /([0-9]{1,7})\s*(d|h|m|s)/gy;
  const unit = { d: 86_400, h: 3_600, m: 60, s: 1 } as const;
  let total = 0;
  let end = 0;
  for (let m = re.exec(t); m !== null; m = re.exec(t)) {
    total += Number(m[1]) * unit[m[2] as keyof typeof unit];
    end = re.lastIndex;
  }
  return end > 0 && end === t.length ? total : null;
}

/** Formats seconds compactly (`1h 30m`, `7d`), for messages. */
export function formatDuration(seconds: number): string {
  const parts: string[] = [];
  let rest = Math.max(0, Math.round(seconds));
  for (const [unit, size] of [['d', 86_400], ['h', 3_600], ['m', 60], ['s', 1]] as const) {
    if (rest >= size) {
      parts.push(`${String(Math.floor(rest / size))}${unit}`);
      rest %= size;
    }
  }
  return parts.length > 0 ? parts.join(' ') : '0s';
}
