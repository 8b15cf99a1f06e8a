/**
 * Parsing and normalising the Airbyte temporal types. Accepted input (a superset of what the
 * bulk CDK's AirbyteValueCoercer accepts, minus its odd separators):
 *   date:       YYYY-MM-DD (years may be -YYYY or ±YYYYYY); a date-time gives its date as written
 *   timestamp:  <date>[(T|t|' ')HH:MM[:SS[.fraction]]][zone]  (a bare date is midnight)
 *   time:       HH:MM[:SS[.fraction]][zone]
 *   zone:       Z | ±HH | ±HHMM | ±HH:MM       fraction: 1-9 digits ('.' or ',')
 * Calendar values are checked (2023-02-29 and 24:00 are invalid; no leap seconds).
 * Normalised `iso` strings always print seconds (a `12:34` from java.time's toString is a
 * classic way to break a destination) and 0, 3, 6 or 9 fraction digits, like java.time.
 */

const MS_PER_DAY = 86_400_000;
const NS_PER_SECOND = 1_000_000_000;
/** JavaScript Date's range; beyond it epoch milliseconds stop being exact. */
const MAX_EPOCH_MS = 8.64e15;

export interface DateValue {
  /** Days since 1970-01-01. */
  epochDay: number;
  /** YYYY-MM-DD. */
  iso: string;
}

export interface TimestampTzValue {
  /** Milliseconds since the epoch (UTC), rounded down. */
  epochMillis: number;
  /** Nanoseconds after `epochMillis`, 0-999 999 (microsecond sources keep their precision). */
  nanosOfMilli: number;
  /** Offset the value was written with, in minutes east of UTC (0 when it had none). */
  offsetMinutes: number;
  /** The instant in UTC: YYYY-MM-DDTHH:MM:SS[.fff[fff[fff]]]Z. */
  iso: string;
}

export interface TimestampNtzValue {
  /** The wall-clock date-time read as if it were UTC, in milliseconds, rounded down. */
  epochMillis: number;
  nanosOfMilli: number;
  /** YYYY-MM-DDTHH:MM:SS[.fff[fff[fff]]], no zone. */
  iso: string;
}

export interface TimeTzValue {
  /** Time of day as written (not shifted to UTC), in nanoseconds since midnight. */
  nanosOfDay: number;
  offsetMinutes: number;
  /** HH:MM:SS[.fff...] followed by Z or ±HH:MM. */
  iso: string;
}

export interface TimeNtzValue {
  /** Nanoseconds since midnight (what CQL's `time` stores). */
  nanosOfDay: number;
  /** HH:MM:SS[.fff...]. */
  iso: string;
}

/** Why a temporal string was refused: unparseable, or valid but beyond what we can represent. */
export type TemporalFailure = 'invalid' | 'out_of_range';

const DATE = String.raw`([+-]\d{6}|-?\d{4})-(\d{2})-(\d{2})`;
const TIME = String.raw`(\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?`;
const ZONE = String.raw`(Z|z|[+-]\d{2}(?::?\d{2})?)`;
// A zone only after a time: '2023-01-23-01' must not read as a date in zone -01.
const DATE_TIME_RE = new RegExp(`^${DATE}(?:[Tt ]${TIME}${ZONE}?)?$`);
const TIME_RE = new RegExp(`^${TIME}${ZONE}?$`);

interface Parts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  nanos: number;
  /** undefined when the input had no zone. */
  offsetMinutes: number | undefined;
  hasTime: boolean;
}

export function parseDate(s: string): DateValue | TemporalFailure {
  const p = parseDateTimeParts(s);
  if (p === undefined) return 'invalid';
  const epochDay = daysFromCivil(p.year, p.month, p.day);
  if (Math.abs(epochDay * MS_PER_DAY) > MAX_EPOCH_MS) return 'out_of_range';
  return { epochDay, iso: formatDate(p.year, p.month, p.day) };
}

export function parseTimestampTz(s: string): TimestampTzValue | TemporalFailure {
  const p = parseDateTimeParts(s);
  if (p === undefined) return 'invalid';
  const offsetMinutes = p.offsetMinutes ?? 0;
  const localMs = localEpochMillis(p);
  const epochMillis = localMs - offsetMinutes * 60_000;
  if (Math.abs(epochMillis) > MAX_EPOCH_MS) return 'out_of_range';
  const nanosOfMilli = p.nanos % 1_000_000;
  return { epochMillis, nanosOfMilli, offsetMinutes, iso: `${formatEpoch(epochMillis, nanosOfMilli)}Z` };
}

/** A zone in the input is dropped and the wall-clock time kept, as the CDK does. */
export function parseTimestampNtz(s: string): TimestampNtzValue | TemporalFailure {
  const p = parseDateTimeParts(s);
  if (p === undefined) return 'invalid';
  const epochMillis = localEpochMillis(p);
  if (Math.abs(epochMillis) > MAX_EPOCH_MS) return 'out_of_range';
  const nanosOfMilli = p.nanos % 1_000_000;
  return { epochMillis, nanosOfMilli, iso: formatEpoch(epochMillis, nanosOfMilli) };
}

/** A time without a zone is taken as UTC, as the CDK does. */
export function parseTimeTz(s: string): TimeTzValue | TemporalFailure {
  const t = parseTimeParts(s);
  if (t === undefined) return 'invalid';
  const offsetMinutes = t.offsetMinutes ?? 0;
  return {
    nanosOfDay: t.nanosOfDay,
    offsetMinutes,
    iso: formatTimeOfDay(t.nanosOfDay) + formatOffset(offsetMinutes),
  };
}

/** A zone in the input is dropped, as the CDK does. */
export function parseTimeNtz(s: string): TimeNtzValue | TemporalFailure {
  const t = parseTimeParts(s);
  if (t === undefined) return 'invalid';
  return { nanosOfDay: t.nanosOfDay, iso: formatTimeOfDay(t.nanosOfDay) };
}

function parseDateTimeParts(s: string): Parts | undefined {
  const m = DATE_TIME_RE.exec(s);
  if (m === null) return undefined;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  const hasTime = m[4] !== undefined;
  const hour = hasTime ? Number(m[4]) : 0;
  const minute = hasTime ? Number(m[5]) : 0;
  const second = m[6] === undefined ? 0 : Number(m[6]);
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  const nanos = fractionToNanos(m[7]);
  const offsetMinutes = parseOffset(m[8]);
  if (offsetMinutes === null) return undefined;
  return { year, month, day, hour, minute, second, nanos, offsetMinutes, hasTime };
}

function parseTimeParts(s: string): { nanosOfDay: number; offsetMinutes: number | undefined } | undefined {
  const m = TIME_RE.exec(s);
  if (m === null) return undefined;
  const hour = Number(m[1]);
  const minute = Number(m[2]);
  const second = m[3] === undefined ? 0 : Number(m[3]);
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  const offsetMinutes = parseOffset(m[5]);
  if (offsetMinutes === null) return undefined;
  const nanosOfDay = ((hour * 60 + minute) * 60 + second) * NS_PER_SECOND + fractionToNanos(m[4]);
  return { nanosOfDay, offsetMinutes };
}

function fractionToNanos(fraction: string | undefined): number {
  return fraction === undefined ? 0 : Number(fraction.padEnd(9, '0'));
}

/** Minutes east of UTC; undefined for no zone, null for an impossible one (java.time caps at 18h). */
function parseOffset(zone: string | undefined): number | undefined | null {
  if (zone === undefined) return undefined;
  if (zone === 'Z' || zone === 'z') return 0;
  const sign = zone[0] === '-' ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  const hours = Number(digits.slice(0, 2));
  const minutes = digits.length > 2 ? Number(digits.slice(2, 4)) : 0;
  if (minutes > 59 || hours * 60 + minutes > 18 * 60) return null;
  return sign * (hours * 60 + minutes);
}

function localEpochMillis(p: Parts): number {
  const days = daysFromCivil(p.year, p.month, p.day);
  return (
    days * MS_PER_DAY + ((p.hour * 60 + p.minute) * 60 + p.second) * 1000 + Math.floor(p.nanos / 1_000_000)
  );
}

function isLeapYear(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

function daysInMonth(y: number, m: number): number {
  if (m === 2) return isLeapYear(y) ? 29 : 28;
  return m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
}

/** Days since 1970-01-01 in the proleptic Gregorian calendar (H. Hinnant's algorithm). */
export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const mp = (month + 9) % 12;
  const doy = Math.floor((153 * mp + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

function civilFromDays(days: number): { year: number; month: number; day: number } {
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: yoe + era * 400 + (month <= 2 ? 1 : 0), month, day };
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

function formatDate(year: number, month: number, day: number): string {
  const y = year >= 0 && year <= 9999 ? pad(year, 4) : (year < 0 ? '-' : '+') + pad(Math.abs(year), 6);
  return `${y}-${pad(month, 2)}-${pad(day, 2)}`;
}

function formatEpoch(epochMillis: number, nanosOfMilli: number): string {
  const days = Math.floor(epochMillis / MS_PER_DAY);
  const msOfDay = epochMillis - days * MS_PER_DAY;
  const { year, month, day } = civilFromDays(days);
  const nanosOfDay = Math.floor(msOfDay / 1000) * NS_PER_SECOND + (msOfDay % 1000) * 1_000_000 + nanosOfMilli;
  return `${formatDate(year, month, day)}T${formatTimeOfDay(nanosOfDay)}`;
}

function formatTimeOfDay(nanosOfDay: number): string {
  const totalSeconds = Math.floor(nanosOfDay / NS_PER_SECOND);
  const nanos = nanosOfDay - totalSeconds * NS_PER_SECOND;
  const h = Math.floor(totalSeconds / 3600);
  const m = Math.floor((totalSeconds % 3600) / 60);
  const s = totalSeconds % 60;
  return `${pad(h, 2)}:${pad(m, 2)}:${pad(s, 2)}${formatFraction(nanos)}`;
}

function formatFraction(nanos: number): string {
  if (nanos === 0) return '';
  if (nanos % 1_000_000 === 0) return `.${pad(nanos / 1_000_000, 3)}`;
  if (nanos % 1000 === 0) return `.${pad(nanos / 1000, 6)}`;
  return `.${pad(nanos, 9)}`;
}

function formatOffset(minutes: number): string {
  if (minutes === 0) return 'Z';
  const abs = Math.abs(minutes);
  return `${minutes < 0 ? '-' : '+'}${pad(Math.floor(abs / 60), 2)}:${pad(abs % 60, 2)}`;
}
