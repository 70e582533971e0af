/**
 * The server's clock, as seen from the browser: relative times ("2 minutes ago") are measured
 * against it, so a laptop whose clock runs behind never shows a last use "in 3 minutes".
 * The offset comes from the `Date` header of API answers; that header has 1-second
 * resolution, so offsets under 1.5 s are treated as none.
 */
let offsetMs = 0;

/** Now, on the server's clock (epoch ms). */
export function serverNow(): number {
  return Date.now() + offsetMs;
}

/** Learns the offset from one answer's `Date` header and when the request left and returned. */
export function observeServerDate(dateHeader: string | null, sentAt: number, receivedAt: number): void {
  if (!dateHeader) return;
  const serverSecond = Date.parse(dateHeader);
  if (Number.isNaN(serverSecond)) return;
  // The server stamped some instant within that second, about half-way through the round trip.
  const estimate = serverSecond + 500 - (sentAt + receivedAt) / 2;
  offsetMs = Math.abs(estimate) > 1500 ? Math.round(estimate) : 0;
}
