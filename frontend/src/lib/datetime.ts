import dayjs, { type Dayjs } from 'dayjs';
import timezone from 'dayjs/plugin/timezone';
import utc from 'dayjs/plugin/utc';

dayjs.extend(utc);
dayjs.extend(timezone);

/** The county's time zone: every date is shown in it, whatever the browser's zone. */
export const TIME_ZONE = 'Asia/Shanghai';

/** Format an ISO UTC timestamp from the API as Beijing time; a string without an offset is taken as UTC. */
export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return '';
  const value = dayjs.utc(iso);
  return value.isValid() ? value.tz(TIME_ZONE).format('YYYY-MM-DD HH:mm:ss') : iso;
}

/** The UTC instant at which a Beijing calendar day starts, for `since` filters. */
export function startOfDayUtc(day: Dayjs): string {
  return dayjs.tz(day.format('YYYY-MM-DD'), TIME_ZONE).startOf('day').toISOString();
}

/** The UTC instant at which the Beijing calendar day after `day` starts, for inclusive `until` filters. */
export function endOfDayUtc(day: Dayjs): string {
  return dayjs.tz(day.format('YYYY-MM-DD'), TIME_ZONE).add(1, 'day').startOf('day').toISOString();
}
