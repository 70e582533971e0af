import { describe, expect, it } from 'vitest';
import { placeMenu } from './menu-placement';

const viewport = { width: 1000, height: 800 };
const menu = { width: 200, height: 150 };

describe('placeMenu', () => {
  it('opens below the trigger, aligned to its start', () => {
    expect(
      placeMenu({ top: 10, bottom: 40, left: 20, right: 120 }, menu, viewport, 'start', 'bottom'),
    ).toEqual({
      top: 46,
      left: 20,
    });
  });

  it('aligns to the end edge', () => {
    expect(
      placeMenu({ top: 10, bottom: 40, left: 700, right: 980 }, menu, viewport, 'end', 'bottom').left,
    ).toBe(780);
  });

  it('flips above when there is no room below', () => {
    expect(
      placeMenu({ top: 700, bottom: 730, left: 20, right: 120 }, menu, viewport, 'start', 'bottom').top,
    ).toBe(544);
  });

  it('stays below when there is no room above either', () => {
    const tiny = { width: 1000, height: 200 };
    expect(placeMenu({ top: 20, bottom: 50, left: 0, right: 10 }, menu, tiny, 'start', 'bottom').top).toBe(
      56,
    );
  });

  it('keeps the menu inside the viewport horizontally', () => {
    expect(
      placeMenu({ top: 10, bottom: 40, left: 950, right: 990 }, menu, viewport, 'start', 'bottom').left,
    ).toBe(792);
    expect(placeMenu({ top: 10, bottom: 40, left: 0, right: 40 }, menu, viewport, 'end', 'bottom').left).toBe(
      8,
    );
  });
});
