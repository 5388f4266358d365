/** Times and durations as people read them at 3 a.m.: "2026-11-26 00:40:01 UTC", "12 min 5 s". */

/** "412 s" stays seconds up to two minutes, then "6 min 52 s", then "3 h 5 min", then "2 d 4 h". */
export function formatDuration(seconds: number): string {
  const sign = seconds < 0 ? '-' : '';
  const whole = Math.round(Math.abs(seconds));
  if (whole < 120) return `${sign}${whole} s`;
  const minutes = Math.floor(whole / 60);
  if (minutes < 120) return `${sign}${minutes} min ${whole % 60} s`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${sign}${hours} h ${minutes % 60} min`;
  return `${sign}${Math.floor(hours / 24)} d ${hours % 24} h`;
}

/** Like formatDuration, without the seconds once they no longer matter: "45 s", "12 min", "3 h 5 min". */
export function formatElapsed(seconds: number): string {
  const whole = Math.max(0, Math.round(seconds));
  if (whole < 120) return `${whole} s`;
  if (whole < 7200) return `${Math.floor(whole / 60)} min`;
  return formatDuration(whole);
}

/** "2026-11-26 00:40:01 UTC"; the raw value when it is not a timestamp. */
export function formatUtc(iso: string): string {
  const millis = Date.parse(iso);
  if (Number.isNaN(millis)) return iso;
  return new Date(millis).toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC');
}

/** "20:28 UTC" when `iso` falls on the same UTC day as `reference`, else "2026-11-25 20:28 UTC". */
export function formatClock(iso: string, reference: string): string {
  const full = formatUtc(iso);
  if (full === iso) return iso;
  const [day, time] = full.split(' ');
  const shortTime = `${time!.slice(0, 5)} UTC`;
  return day === formatUtc(reference).split(' ')[0] ? shortTime : `${day} ${shortTime}`;
}
