import { AVATAR_PALETTE } from '@keysmith/domain';
import { validateSlug } from '../../lib/validation';

/** Client checks for the space forms, worded like the API's (space.schemas.ts). */

export function validateSpaceName(value: string): string | null {
  const trimmed = value.trim();
  if (trimmed.length === 0) return 'Enter a name for the space';
  return [...trimmed].length > 64 ? 'Name must be at most 64 characters' : null;
}

/** The slug is optional on create: empty means "derive it from the name". */
export function validateOptionalSlug(value: string): string | null {
  return value.trim().length === 0 ? null : validateSlug(value);
}

/** An uploaded logo's URL: https only (the API refuses anything else). Empty clears it. */
export function validateLogoUrl(value: string): string | null {
  const trimmed = value.trim();
  if (trimmed.length === 0) return null;
  if (trimmed.length > 2048) return 'Logo URL is too long';
  // An uploaded logo's own path (see the upload button).
  if (/^\/logos\/[0-9a-f]{32}\.(png|jpg|svg)$/.test(trimmed)) return null;
  try {
    const url = new URL(trimmed);
    if (url.protocol === 'https:' && url.hostname.length > 0) return null;
  } catch {
    // Falls through to the message below.
  }
  return 'Logo URL must be an https:// URL';
}

/** The palette's colour names, for the picker's accessible labels. */
export const PALETTE_NAMES: Record<(typeof AVATAR_PALETTE)[number], string> = {
  '#4F46E5': 'Indigo',
  '#0F766E': 'Teal',
  '#B45309': 'Amber',
  '#BE185D': 'Pink',
  '#6D28D9': 'Violet',
  '#1D4ED8': 'Blue',
  '#047857': 'Emerald',
  '#B91C1C': 'Red',
};

/** The palette entry for a stored colour (stored upper-case), or `null` for a custom one. */
export function paletteColor(value: string): (typeof AVATAR_PALETTE)[number] | null {
  const upper = value.toUpperCase();
  return AVATAR_PALETTE.find((color) => color === upper) ?? null;
}
