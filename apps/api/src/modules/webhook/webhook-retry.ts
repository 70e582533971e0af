/**
 * When a failed delivery is tried again (§7): retries at about 1 min, 5 min, 15 min, 1 h,
 * 3 h, 6 h, 12 h and 24 h after the first attempt, so a receiver that is down for a day still
 * gets the event; after the ninth attempt fails the delivery is given up (`failed`) and can
 * only be redelivered by hand. Each wait is jittered by ±10% so that deliveries that failed
 * together (a receiver outage) do not all come back in the same second.
 */
export const RETRY_OFFSETS_SECONDS = [60, 300, 900, 3600, 3 * 3600, 6 * 3600, 12 * 3600, 24 * 3600] as const;

/** Attempts in all: the first one and one per retry offset. */
export const MAX_DELIVERY_ATTEMPTS = RETRY_OFFSETS_SECONDS.length + 1;

const JITTER = 0.1;

/**
 * Milliseconds to wait after attempt number `attempts` failed, or `null` when that was the
 * last one. `scale` shrinks the whole schedule (tests use 0.001); `random` is injectable.
 */
export function retryDelayMs(attempts: number, scale = 1, random: () => number = Math.random): number | null {
  if (!Number.isInteger(attempts) || attempts < 1 || attempts >= MAX_DELIVERY_ATTEMPTS) return null;
  const offset = RETRY_OFFSETS_SECONDS[attempts - 1] ?? 0;
  const previous = attempts >= 2 ? (RETRY_OFFSETS_SECONDS[attempts - 2] ?? 0) : 0;
  const base = (offset - previous) * 1000 * scale;
  return Math.max(1, Math.round(base * (1 - JITTER + 2 * JITTER * random())));
}
