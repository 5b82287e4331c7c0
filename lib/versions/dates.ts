/**
 * Calendar dates (`YYYY-MM-DD`, UTC) for judging support windows. The date a judgement is made on is
 * always explicit: `--as-of`, else the PLATFORM_AS_OF environment variable, else today's date, which
 * only the CLI ever reads (tests pin one of the first two).
 */
import { UserError } from '../errors';

/** Environment variable that fixes the date of version judgements (`YYYY-MM-DD`). */
export const AS_OF_ENV = 'PLATFORM_AS_OF';

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MS = 24 * 60 * 60 * 1000;

/** Whether `text` is a real calendar date written `YYYY-MM-DD` (2026-02-30 is not). */
export function isIsoDate(text: string): boolean {
  const m = DATE.exec(text);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.getUTCFullYear() === Number(m[1]) && d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3]);
}

/** Whole days from `from` to `to` (negative when `to` is earlier). Both `YYYY-MM-DD`. */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);
}

/** Today's UTC date. */
export function today(now: Date = new Date()): string {
  return now.toISOString().slice(0, 10);
}

/**
 * The date to judge on: the option, else the environment variable, else today. A malformed value is
 * bad input naming where it came from.
 */
export function resolveAsOf(option: string | undefined, env: NodeJS.ProcessEnv = process.env, now: () => Date = () => new Date()): string {
  const [value, where] = option !== undefined ? [option, '--as-of'] : env[AS_OF_ENV] !== undefined ? [env[AS_OF_ENV] as string, AS_OF_ENV] : [today(now()), ''];
  if (!isIsoDate(value)) throw new UserError(`${where}: expected a date written YYYY-MM-DD, e.g. 2026-12-01 (got ${JSON.stringify(value)})`);
  return value;
}
