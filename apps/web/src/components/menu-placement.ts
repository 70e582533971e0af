/** Pure placement of popovers (menus) next to their trigger, in viewport coordinates. */

export interface Box {
  width: number;
  height: number;
}

export interface TriggerRect {
  top: number;
  bottom: number;
  left: number;
  right: number;
}

const GAP = 6;
const EDGE = 8;

/**
 * Where the menu goes, in viewport coordinates: below the trigger (above when there is no
 * room below, or `side="top"`), aligned to its start or end edge, kept inside the viewport.
 */
export function placeMenu(
  trigger: TriggerRect,
  menu: Box,
  viewport: Box,
  align: 'start' | 'end',
  side: 'bottom' | 'top',
): { top: number; left: number } {
  const below = trigger.bottom + GAP;
  const above = trigger.top - GAP - menu.height;
  const fitsBelow = below + menu.height <= viewport.height - EDGE;
  const top = side === 'top' ? (above >= EDGE ? above : below) : fitsBelow || above < EDGE ? below : above;
  const wanted = align === 'start' ? trigger.left : trigger.right - menu.width;
  const left = Math.max(EDGE, Math.min(wanted, viewport.width - menu.width - EDGE));
  return { top, left };
}
