import { useCallback, useSyncExternalStore } from 'react';

/**
 * "Unread" for the notification bell: events newer than the newest one the user had seen when
 * they last opened the panel (or the notifications page), remembered per organization in this
 * browser's localStorage. Times are the server's `createdAt`, so a wrong client clock cannot
 * hide or resurrect events.
 */

const PREFIX = 'keysmith:notifications-seen:';
const CHANGE_EVENT = 'keysmith:notifications-seen';

export function readLastSeen(orgId: string): number | null {
  try {
    const raw = window.localStorage.getItem(PREFIX + orgId);
    const value = raw === null ? Number.NaN : Number(raw);
    return Number.isFinite(value) ? value : null;
  } catch {
    return null;
  }
}

/** Remembers `seenAt` (epoch ms) unless a later mark is already stored (another tab, say). */
export function markSeen(orgId: string, seenAt: number): void {
  const current = readLastSeen(orgId);
  if (current !== null && current >= seenAt) return;
  try {
    window.localStorage.setItem(PREFIX + orgId, String(seenAt));
  } catch {
    // Storage can be disabled: the dot then shows until the page reloads, which is harmless.
  }
  window.dispatchEvent(new Event(CHANGE_EVENT));
}

/** How many of `items` are newer than `lastSeen` (all of them when nothing was ever seen). */
export function countUnread(items: ReadonlyArray<{ createdAt: string }>, lastSeen: number | null): number {
  if (lastSeen === null) return items.length;
  return items.filter((item) => new Date(item.createdAt).getTime() > lastSeen).length;
}

/** The newest `createdAt` of `items` (epoch ms), or null for an empty list. */
export function newestTime(items: ReadonlyArray<{ createdAt: string }>): number | null {
  let newest: number | null = null;
  for (const item of items) {
    const time = new Date(item.createdAt).getTime();
    if (newest === null || time > newest) newest = time;
  }
  return newest;
}

/**
 * The stored mark of `orgId`, re-rendering when this or another tab changes it. Read only once
 * `enabled` (the bell passes "its list has loaded"): a page's first localStorage read opens the
 * origin's storage, tens of milliseconds on a slow machine, and the mark means nothing before
 * there are events to compare it with, so that read stays off the first render.
 */
export function useLastSeen(orgId: string, enabled = true): number | null {
  const subscribe = useCallback((onChange: () => void) => {
    window.addEventListener(CHANGE_EVENT, onChange);
    window.addEventListener('storage', onChange);
    return () => {
      window.removeEventListener(CHANGE_EVENT, onChange);
      window.removeEventListener('storage', onChange);
    };
  }, []);
  return useSyncExternalStore(subscribe, () => (enabled ? readLastSeen(orgId) : null));
}
