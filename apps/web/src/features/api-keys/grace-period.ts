/**
 * Grace periods for rolling a key (§2.2): how long the old key keeps working next to its
 * replacement. 0 s to 7 days; 24 h is the default.
 */

export const MAX_GRACE_SECONDS = 7 * 86_400;
export const DEFAULT_GRACE_SECONDS = 86_400;

export type GraceChoice = 'now' | '1h' | '24h' | '7d' | 'custom';

export const GRACE_PRESETS: ReadonlyArray<{
  choice: Exclude<GraceChoice, 'custom'>;
  seconds: number;
  label: string;
}> = [
  { choice: 'now', seconds: 0, label: 'Immediately' },
  { choice: '1h', seconds: 3_600, label: '1 hour' },
  { choice: '24h', seconds: 86_400, label: '24 hours' },
  { choice: '7d', seconds: MAX_GRACE_SECONDS, label: '7 days' },
];

export type CustomGraceUnit = 'minutes' | 'hours' | 'days';

const UNIT_SECONDS: Record<CustomGraceUnit, number> = { minutes: 60, hours: 3_600, days: 86_400 };

/** The grace period in seconds for a choice, or an error message for a bad custom amount. */
export function graceSeconds(
  choice: GraceChoice,
  customAmount: string,
  customUnit: CustomGraceUnit,
): { ok: true; seconds: number } | { ok: false; message: string } {
  if (choice !== 'custom') {
    const preset = GRACE_PRESETS.find((p) => p.choice === choice);
    return { ok: true, seconds: preset?.seconds ?? DEFAULT_GRACE_SECONDS };
  }
  const text = customAmount.trim();
  if (!/^\d+(\.\d+)?$/.test(text)) return { ok: false, message: 'Enter a number, e.g. 12' };
  const seconds = Math.round(Number(text) * UNIT_SECONDS[customUnit]);
  if (seconds > MAX_GRACE_SECONDS) return { ok: false, message: 'The grace period is at most 7 days' };
  return { ok: true, seconds };
}
