/**
 * Business dates in Beijing time (Asia/Shanghai): every "today", school year and deadline of the
 * service is a date in China, whatever the server's zone. China has kept one fixed offset, UTC+08:00,
 * without daylight saving since 1991, so a constant offset gives the same answers as the
 * Asia/Shanghai zone for every instant the service handles, without depending on the ICU time-zone
 * data of the Node build or on the host's TZ, and costs nothing per imported row.
 * Only instants are converted: a calendar date (a birth date, a holiday) stays a plain 'YYYY-MM-DD'.
 */
const OFFSET_MS = 8 * 3_600_000;
const DAY_MS = 86_400_000;

/** An instant: a Date or an ISO 8601 string with its zone (as stored in events: `at`). */
export type Instant = Date | string;

const millis = (instant: Instant): number => {
  const ms = typeof instant === 'string' ? Date.parse(instant) : instant.getTime();
  if (Number.isNaN(ms)) throw new RangeError(`not an instant: ${String(instant)}`);
  return ms;
};

/** The calendar date in Beijing of an instant, 'YYYY-MM-DD' (2026-08-31T16:00Z is 2026-09-01). */
export function beijingDate(instant: Instant): string {
  return new Date(millis(instant) + OFFSET_MS).toISOString().slice(0, 10);
}

/** The time of day in Beijing of an instant, 'HH:MM' (2026-09-01T08:30Z is 16:30): for messages such as "retry after". */
export function beijingHoursMinutes(instant: Instant): string {
  return new Date(millis(instant) + OFFSET_MS).toISOString().slice(11, 16);
}

/**
 * The school year an instant falls in, named by the year it starts: a school year runs from
 * 1 September to 31 August, Beijing time, so it turns at 2026-08-31T16:00Z.
 */
export function schoolYearStart(instant: Instant): number {
  const [year, month] = beijingDate(instant).split('-').map(Number) as [number, number];
  return month >= 9 ? year : year - 1;
}

/** The instant a Beijing calendar day begins (00:00 +08:00), e.g. '2026-09-01' -> 2026-08-31T16:00:00.000Z. */
export function beijingDayStart(date: string): Date {
  return new Date(dateMillis(date) - OFFSET_MS);
}

/** The instant a Beijing calendar day ends: the start of the next day (exclusive), so a deadline "by end of day" is `at < beijingDayEnd(d)`. */
export function beijingDayEnd(date: string): Date {
  return new Date(dateMillis(date) + DAY_MS - OFFSET_MS);
}

/** A calendar date moved by whole days ('2026-02-28' + 1 -> '2026-03-01'). */
export function addDays(date: string, days: number): string {
  return new Date(dateMillis(date) + days * DAY_MS).toISOString().slice(0, 10);
}

/** Day of the week of a calendar date: 0 Sunday … 6 Saturday. */
export function weekday(date: string): number {
  return new Date(dateMillis(date)).getUTCDay();
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Whether a 'YYYY-MM-DD' string names a real calendar date (no 30 February). */
export function isCalendarDate(date: string): boolean {
  const m = DATE.exec(date);
  if (!m) return false;
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return new Date(ms).toISOString().slice(0, 10) === date;
}

function dateMillis(date: string): number {
  if (!isCalendarDate(date)) throw new RangeError(`not a calendar date (YYYY-MM-DD): ${date}`);
  return Date.parse(`${date}T00:00:00Z`);
}
