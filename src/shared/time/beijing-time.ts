/** Business times are told in Beijing time (Asia/Shanghai, UTC+8, no daylight saving), whatever the server's zone. */
const HOURS_MINUTES = new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Shanghai', hour: '2-digit', minute: '2-digit', hour12: false });

/** "16:30" for 2026-09-01T08:30:00Z. */
export const beijingHoursMinutes = (at: Date): string => HOURS_MINUTES.format(at);
