// Parses an HTTP `Retry-After` value (RFC 9110 §10.2.3) into a wait in milliseconds.
// Accepts exactly the two forms the RFC defines — delay-seconds (`120`) and an HTTP-date in any of the three
// formats recipients must accept (§5.6.7) — and nothing else: it must never guess at garbage (Date.parse
// would read "2" or "tomorrow" as dates) and never return a wait longer than MAX_RETRY_AFTER_MS, so a hostile
// or broken header cannot park a job for ever.

/** Upper bound of any wait derived from a Retry-After value: one hour. */
export const MAX_RETRY_AFTER_MS = 60 * 60 * 1000;

const DAY_NAMES = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
const LONG_DAY_NAMES = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const MONTH_RE = MONTHS.join('|');

// IMF-fixdate: Sun, 06 Nov 1994 08:49:37 GMT
const IMF_FIXDATE = new RegExp(`^(${DAY_NAMES.join('|')}), (\\d{2}) (${MONTH_RE}) (\\d{4}) (\\d{2}):(\\d{2}):(\\d{2}) GMT$`);
// obsolete RFC 850: Sunday, 06-Nov-94 08:49:37 GMT
const RFC850_DATE = new RegExp(`^(${LONG_DAY_NAMES.join('|')}), (\\d{2})-(${MONTH_RE})-(\\d{2}) (\\d{2}):(\\d{2}):(\\d{2}) GMT$`);
// obsolete asctime: Sun Nov  6 08:49:37 1994 (day padded with a space)
const ASCTIME_DATE = new RegExp(`^(${DAY_NAMES.join('|')}) (${MONTH_RE}) ([ \\d]\\d) (\\d{2}):(\\d{2}):(\\d{2}) (\\d{4})$`);

const DELAY_SECONDS = /^\d+$/;

/**
 * `value` → milliseconds to wait from `nowMs` (≥ 0, ≤ MAX_RETRY_AFTER_MS), or `undefined` when the value is
 * absent or is neither delay-seconds nor an HTTP-date. A date in the past means "now" (0). A finite
 * non-negative number is taken as seconds (the gateway's `retry_after` frame field).
 */
export function parseRetryAfter(value: string | number | null | undefined, nowMs: number = Date.now()): number | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'number') {
    return Number.isFinite(value) && value >= 0 ? Math.min(Math.round(value * 1000), MAX_RETRY_AFTER_MS) : undefined;
  }
  const text = value.trim();
  if (text === '') return undefined;
  if (DELAY_SECONDS.test(text)) {
    // Digits only, so Number() is exact enough; a 400-digit value becomes Infinity and is capped.
    return Math.min(Number(text) * 1000, MAX_RETRY_AFTER_MS);
  }
  const at = parseHttpDate(text, nowMs);
  if (at === undefined) return undefined;
  return Math.min(Math.max(0, at - nowMs), MAX_RETRY_AFTER_MS);
}

/** An HTTP-date (any of the three RFC 9110 formats) as epoch ms, or undefined. */
export function parseHttpDate(text: string, nowMs: number = Date.now()): number | undefined {
  let m = IMF_FIXDATE.exec(text);
  if (m) return utc(Number(m[4]), m[3]!, Number(m[2]), Number(m[5]), Number(m[6]), Number(m[7]));
  m = RFC850_DATE.exec(text);
  if (m) return utc(fullYear(Number(m[4]), nowMs), m[3]!, Number(m[2]), Number(m[5]), Number(m[6]), Number(m[7]));
  m = ASCTIME_DATE.exec(text);
  if (m) return utc(Number(m[7]), m[2]!, Number(m[3]!.trim()), Number(m[4]), Number(m[5]), Number(m[6]));
  return undefined;
}

/**
 * RFC 9110 §5.6.7: a two-digit year that would be more than 50 years in the future is the most recent past
 * year with those last two digits.
 */
function fullYear(twoDigits: number, nowMs: number): number {
  const thisYear = new Date(nowMs).getUTCFullYear();
  let year = Math.floor(thisYear / 100) * 100 + twoDigits;
  if (year > thisYear + 50) year -= 100;
  return year;
}

function utc(year: number, monthName: string, day: number, hour: number, minute: number, second: number): number | undefined {
  const month = MONTHS.indexOf(monthName);
  // 60 is allowed by the grammar for a leap second; JavaScript dates have none, so it is read as :59.
  if (hour > 23 || minute > 59 || second > 60 || day < 1) return undefined;
  const ms = Date.UTC(year, month, day, hour, minute, Math.min(second, 59));
  // Date.UTC rolls 31 Feb over into March; a date that does not exist is garbage, not a guess.
  if (new Date(ms).getUTCDate() !== day) return undefined;
  return ms;
}
