import { findApiKeysInText } from '@keysmith/domain';
import type { KeyEnvironment } from './key-types';

/**
 * Recognising a full key pasted into the admin. {@link recognisePastedKeys} lets only what
 * identifies a key out (prefix, environment, public id), so the secret never reaches React
 * state, the URL or a log. The one exception is {@link pastedFullKeys}, for "Report as leaked"
 * (§11): reporting a leak means handing the key over, because possession proves the leak.
 */

export interface PastedKey {
  prefix: string;
  environment: KeyEnvironment;
  /** The public id, `key_` + id16: safe to send to the server and to put in a URL. */
  keyId: string;
  /** `sk_live_7Hq2…`: enough for the user to recognise the key, nothing of the secret. */
  label: string;
}

export interface PasteRecognition {
  /** The keys found, in order, without duplicates. */
  keys: PastedKey[];
}

/** Pastes longer than this are not scanned (a pasted log file is not a key to act on). */
const MAX_SCANNED_LENGTH = 20_000;

/** The Keysmith keys (valid checksum) in pasted text, or `null` when there are none. */
export function recognisePastedKeys(text: string): PasteRecognition | null {
  if (text.length === 0 || text.length > MAX_SCANNED_LENGTH) return null;
  const seen = new Set<string>();
  const keys: PastedKey[] = [];
  for (const found of findApiKeysInText(text)) {
    const { prefix, environment, id16, keyId } = found.key;
    if (seen.has(keyId)) continue;
    seen.add(keyId);
    keys.push({ prefix, environment, keyId, label: `${prefix}_${environment}_${id16.slice(0, 4)}…` });
  }
  return keys.length > 0 ? { keys } : null;
}

/**
 * The full keys in pasted text, by public id: only for the leak report (§11), which sends one
 * in the body of a single POST. Callers keep the map out of React state (a ref) and drop it
 * when the paste dialog closes.
 */
export function pastedFullKeys(text: string): ReadonlyMap<string, string> {
  const keys = new Map<string, string>();
  if (text.length === 0 || text.length > MAX_SCANNED_LENGTH) return keys;
  for (const found of findApiKeysInText(text))
    if (!keys.has(found.key.keyId)) keys.set(found.key.keyId, found.text);
  return keys;
}

/** Marks the key search box: the one text input whose pastes are still checked for keys. */
export const KEY_SEARCH_ATTRIBUTE = 'data-key-search';

/** The minimal view of an event target this decision needs (testable without a DOM). */
export interface PasteTargetInfo {
  /** Lower-case tag name (`input`, `textarea`, `div` …). */
  tagName: string;
  /** Whether the element or an ancestor is `contenteditable`. */
  editable: boolean;
  /** Whether it is the key search box. */
  isKeySearch: boolean;
}

/**
 * Whether a paste on this target should be checked for keys: everywhere except into text
 * fields, where the user is typing something else (a name, an IP list), with the key search
 * box as the exception, since pasting a key there means "find this key".
 */
export function shouldInspectPaste(target: PasteTargetInfo | null): boolean {
  if (!target) return true;
  if (target.isKeySearch) return true;
  if (target.editable) return false;
  return target.tagName !== 'input' && target.tagName !== 'textarea' && target.tagName !== 'select';
}
