/**
 * "in 23 h 59 min": how long until an instant, precise enough for "when do credits free up".
 * A relative phrase like "tomorrow" would read as a calendar day, which rolling quotas are not.
 */
export function formatCountdown(iso: string, now: number): string {
  const ms = new Date(iso).getTime() - now;
  if (ms <= 0) return 'now';
  const seconds = Math.ceil(ms / 1000);
  if (seconds < 60) return `in ${seconds} s`;
  const minutes = Math.ceil(seconds / 60);
  if (minutes < 60) return `in ${minutes} min`;
  const hours = Math.floor(minutes / 60);
  const restMinutes = minutes % 60;
  if (hours < 48) return restMinutes === 0 ? `in ${hours} h` : `in ${hours} h ${restMinutes} min`;
  const days = Math.floor(hours / 24);
  const restHours = hours % 24;
  return restHours === 0 ? `in ${days} days` : `in ${days} days ${restHours} h`;
}
