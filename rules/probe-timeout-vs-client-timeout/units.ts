/** Timeout values and their units: Go durations, plain numbers of seconds or milliseconds, and names that give no unit. */
import { parseGoDuration } from '../../src/util/godur.js';

/** A plain number, whose unit only the name can give. */
const PLAIN_NUMBER = /^\d+(\.\d+)?$/;
/** Names that say their plain numbers are seconds. */
const SECONDS_NAME = /(SECONDS|SECS|SEC|_S)$/;

/** The value as milliseconds when it is a plain number and the name gives no unit (neither seconds nor milliseconds). */
export function unitUnknown(raw: string, upperName: string, ms: boolean): number | undefined {
  const s = raw.trim().replace(/^["']|["']$/g, '');
  return !ms && PLAIN_NUMBER.test(s) && !SECONDS_NAME.test(upperName) ? Number(s) : undefined;
}

/** Go duration, or a plain number of seconds (milliseconds when `ms`). */
export function parseTimeout(raw: string, ms: boolean): number | null {
  const s = raw.trim().replace(/^["']|["']$/g, '');
  if (/^\d+(\.\d+)?$/.test(s)) return Number(s) * (ms ? 1 : 1000);
  const d = parseGoDuration(s);
  return d === null ? null : d;
}

export function formatMs(ms: number): string {
  if (ms >= 1000 && ms % 1000 === 0) {
    const s = ms / 1000;
    if (s >= 60 && s % 60 === 0) return s % 3600 === 0 ? `${s / 3600}h` : `${s / 60}m`;
    return `${s}s`;
  }
  if (ms >= 1000) return `${ms / 1000}s`;
  return `${ms}ms`;
}
