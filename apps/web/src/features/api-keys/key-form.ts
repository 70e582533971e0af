import {
  BUILTIN_CATEGORIES,
  CATEGORY_REGEX,
  isValidIpOrCidr,
  isValidKeyDescription,
  isValidScope,
  KEY_DESCRIPTION_MAX_LENGTH,
  KEY_NAME_MAX_LENGTH,
  PLAN_LIMITS,
  type Plan,
  scopesOutsideCatalog,
} from '@keysmith/domain';
import { type MappedServerErrors, mapByPath } from '../../lib/form-state';
import type { KeyCreateInput, KeyEnvironment, KeyPatch, KeyRecord } from './key-types';

/**
 * The create and edit forms of a key as plain data: the values the inputs hold (strings, as
 * typed), the checks the server also makes (same limits, same wording, so most mistakes are
 * caught before a round trip), and the translation to the API's input. Pure and tested.
 */

export type BuiltinCategory = (typeof BUILTIN_CATEGORIES)[number];
export type CategoryChoice = BuiltinCategory | 'custom';
/** `keep` exists only when editing a key that has an expiry. */
export type ExpiryChoice = 'never' | '30d' | '90d' | 'custom' | 'keep';

export const EXPIRY_PRESET_DAYS = { '30d': 30, '90d': 90 } as const;
export const MAX_IP_ALLOWLIST_ENTRIES = 100;
const MAX_QUOTA = 2_000_000_000;

export interface KeyFormValues {
  spaceId: string;
  name: string;
  description: string;
  categoryChoice: CategoryChoice;
  customCategory: string;
  environment: KeyEnvironment;
  scopes: string[];
  expiry: ExpiryChoice;
  /** A `datetime-local` value (`2026-05-01T14:30`, the user's time zone), used when `expiry` is `custom`. */
  customExpiry: string;
  quotaTotal: string;
  quotaDaily: string;
  quotaWeekly: string;
  quotaMonthly: string;
  rateLimitPerSecond: string;
  rateLimitPerMinute: string;
  /** One IP or CIDR per line. */
  ipAllowlist: string;
  autoRenew: boolean;
}

/** The fields an error can be shown under. */
export type KeyFormField =
  | 'spaceId'
  | 'name'
  | 'description'
  | 'category'
  | 'environment'
  | 'scopes'
  | 'expiresAt'
  | 'quotaTotal'
  | 'quotaDaily'
  | 'quotaWeekly'
  | 'quotaMonthly'
  | 'rateLimitPerSecond'
  | 'rateLimitPerMinute'
  | 'ipAllowlist'
  | 'autoRenew';

export type KeyFormErrors = Partial<Record<KeyFormField, string>>;

/** Fields in the order they appear, so focus can go to the first invalid one. */
export const FIELD_ORDER: readonly KeyFormField[] = [
  'spaceId',
  'name',
  'description',
  'category',
  'environment',
  'scopes',
  'expiresAt',
  'quotaTotal',
  'quotaDaily',
  'quotaWeekly',
  'quotaMonthly',
  'rateLimitPerSecond',
  'rateLimitPerMinute',
  'ipAllowlist',
  'autoRenew',
];

export const QUOTA_FIELDS = {
  total: 'quotaTotal',
  daily: 'quotaDaily',
  weekly: 'quotaWeekly',
  monthly: 'quotaMonthly',
} as const satisfies Record<string, KeyFormField>;

export function emptyKeyForm(spaceId = ''): KeyFormValues {
  return {
    spaceId,
    name: '',
    description: '',
    categoryChoice: 'production',
    customCategory: '',
    environment: 'live',
    scopes: [],
    expiry: 'never',
    customExpiry: '',
    quotaTotal: '',
    quotaDaily: '',
    quotaWeekly: '',
    quotaMonthly: '',
    rateLimitPerSecond: '',
    rateLimitPerMinute: '',
    ipAllowlist: '',
    autoRenew: false,
  };
}

function isBuiltinCategory(category: string): category is BuiltinCategory {
  return (BUILTIN_CATEGORIES as readonly string[]).includes(category);
}

const pad = (n: number) => String(n).padStart(2, '0');

/** A `datetime-local` value for an instant, in the browser's time zone. */
export function toLocalInputValue(date: Date): string {
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** The edit form's starting values: what the key holds now. */
export function formFromRecord(key: KeyRecord): KeyFormValues {
  const numberText = (value: number | null) => (value === null ? '' : String(value));
  return {
    spaceId: key.space.id,
    name: key.name,
    description: key.description,
    categoryChoice: isBuiltinCategory(key.category) ? key.category : 'custom',
    customCategory: isBuiltinCategory(key.category) ? '' : key.category,
    environment: key.environment,
    scopes: [...key.scopes],
    expiry: key.expiresAt ? 'keep' : 'never',
    customExpiry: key.expiresAt ? toLocalInputValue(new Date(key.expiresAt)) : '',
    quotaTotal: numberText(key.quotas.total),
    quotaDaily: numberText(key.quotas.daily),
    quotaWeekly: numberText(key.quotas.weekly),
    quotaMonthly: numberText(key.quotas.monthly),
    rateLimitPerSecond: numberText(key.rateLimit.perSecond),
    rateLimitPerMinute: numberText(key.rateLimit.perMinute),
    ipAllowlist: key.ipAllowlist.join('\n'),
    autoRenew: key.autoRenew,
  };
}

export function categoryOf(values: Pick<KeyFormValues, 'categoryChoice' | 'customCategory'>): string {
  return values.categoryChoice === 'custom' ? values.customCategory.trim() : values.categoryChoice;
}

/** The non-empty lines of the allowlist box, trimmed. */
export function allowlistEntries(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line.length > 0);
}

/** A quota or rate-limit box: empty is "no limit"; anything else must be a whole number above 0. */
function parseLimit(text: string): { ok: true; value: number | null } | { ok: false; message: string } {
  const trimmed = text.trim().replace(/[,_\s]/g, '');
  if (trimmed === '') return { ok: true, value: null };
  if (!/^\d+$/.test(trimmed)) return { ok: false, message: 'Enter a whole number greater than 0' };
  const value = Number(trimmed);
  if (value <= 0) return { ok: false, message: 'Enter a whole number greater than 0' };
  if (value > MAX_QUOTA) return { ok: false, message: 'Enter at most 2,000,000,000' };
  return { ok: true, value };
}

function limitValue(text: string): number | null {
  const parsed = parseLimit(text);
  return parsed.ok ? parsed.value : null;
}

/**
 * When the key expires under the form's choice: an ISO instant, `null` for never, or
 * `undefined` to leave an existing expiry unchanged (`keep`). Invalid custom input gives `undefined`.
 */
export function expiresAtOf(
  values: Pick<KeyFormValues, 'expiry' | 'customExpiry'>,
  now: number,
): string | null | undefined {
  switch (values.expiry) {
    case 'never':
      return null;
    case 'keep':
      return undefined;
    case '30d':
    case '90d':
      return new Date(now + EXPIRY_PRESET_DAYS[values.expiry] * 86_400_000).toISOString();
    case 'custom': {
      const date = new Date(values.customExpiry);
      return values.customExpiry && !Number.isNaN(date.getTime()) ? date.toISOString() : undefined;
    }
  }
}

export interface KeyFormContext {
  mode: 'create' | 'edit';
  plan: Plan;
  /** The chosen space's scope catalog (normalised), or `null` while unknown: scopes are then checked by the server only. */
  scopeCatalog: readonly string[] | null;
  now: number;
}

/** Every problem the server would report, as messages keyed by field; `{}` when the form is valid. */
export function validateKeyForm(values: KeyFormValues, context: KeyFormContext): KeyFormErrors {
  const errors: KeyFormErrors = {};
  const limits = PLAN_LIMITS[context.plan];

  if (context.mode === 'create' && !values.spaceId) errors.spaceId = 'Choose a space';

  const name = values.name.trim();
  if (name.length === 0) errors.name = 'Enter a name';
  else if ([...name].length > KEY_NAME_MAX_LENGTH)
    errors.name = `Name must be at most ${KEY_NAME_MAX_LENGTH} characters`;

  if (!isValidKeyDescription(values.description)) {
    errors.description = `Description must be at most ${formatInt(KEY_DESCRIPTION_MAX_LENGTH)} characters`;
  }

  if (values.categoryChoice === 'custom') {
    const category = values.customCategory.trim();
    if (category.length === 0) errors.category = 'Enter a category label';
    else if (!CATEGORY_REGEX.test(category)) errors.category = 'Use 1–32 lowercase letters, digits or dashes';
  }

  const invalidScope = values.scopes.find((scope) => !isValidScope(scope));
  if (invalidScope !== undefined) {
    errors.scopes = `"${invalidScope}" is not a scope: use resource:action, e.g. orders:read`;
  } else if (context.scopeCatalog) {
    const outside = scopesOutsideCatalog(values.scopes, context.scopeCatalog);
    if (outside.length > 0) errors.scopes = `Not in the space's scope catalog: ${outside.join(', ')}`;
  }

  if (values.expiry === 'custom') {
    const date = new Date(values.customExpiry);
    if (!values.customExpiry) errors.expiresAt = 'Choose a date and time';
    else if (Number.isNaN(date.getTime())) errors.expiresAt = 'Enter a valid date and time';
    else if (date.getTime() <= context.now) errors.expiresAt = 'Expiry must be in the future';
  }

  for (const field of Object.values(QUOTA_FIELDS)) {
    const parsed = parseLimit(values[field]);
    if (!parsed.ok) errors[field] = parsed.message;
  }

  const perSecond = parseLimit(values.rateLimitPerSecond);
  if (!perSecond.ok) errors.rateLimitPerSecond = perSecond.message;
  else if (perSecond.value !== null && perSecond.value > limits.perSecond) {
    errors.rateLimitPerSecond = `At most ${formatInt(limits.perSecond)} on the ${context.plan} plan`;
  }
  const perMinute = parseLimit(values.rateLimitPerMinute);
  if (!perMinute.ok) errors.rateLimitPerMinute = perMinute.message;
  else if (perMinute.value !== null && perMinute.value > limits.perMinute) {
    errors.rateLimitPerMinute = `At most ${formatInt(limits.perMinute)} on the ${context.plan} plan`;
  }

  const lines = values.ipAllowlist.split(/\r?\n/);
  const entries = allowlistEntries(values.ipAllowlist);
  if (entries.length > MAX_IP_ALLOWLIST_ENTRIES) {
    errors.ipAllowlist = `At most ${MAX_IP_ALLOWLIST_ENTRIES} entries`;
  } else {
    const badLine = lines.findIndex((line) => line.trim() !== '' && !isValidIpOrCidr(line.trim()));
    if (badLine >= 0) {
      errors.ipAllowlist = `Line ${badLine + 1}: "${lines[badLine]?.trim()}" is not an IP address or CIDR range`;
    }
  }

  if (values.autoRenew) {
    if (!limits.autoRenew) errors.autoRenew = 'Auto-renew is available on the Enterprise plan';
    else if (values.expiry === 'never') errors.autoRenew = 'Auto-renew needs an expiry date';
  }
  return errors;
}

function formatInt(n: number): string {
  return new Intl.NumberFormat('en-US').format(n);
}

/** The `key.create` input (without `orgId`) for a valid form. */
export function toCreateInput(values: KeyFormValues, now: number): Omit<KeyCreateInput, 'orgId'> {
  const description = values.description.trim();
  const expiresAt = expiresAtOf(values, now);
  const perSecond = limitValue(values.rateLimitPerSecond);
  const perMinute = limitValue(values.rateLimitPerMinute);
  const quotas = {
    total: limitValue(values.quotaTotal),
    daily: limitValue(values.quotaDaily),
    weekly: limitValue(values.quotaWeekly),
    monthly: limitValue(values.quotaMonthly),
  };
  const ipAllowlist = allowlistEntries(values.ipAllowlist);
  return {
    spaceId: values.spaceId,
    name: values.name.trim(),
    ...(description ? { description } : {}),
    category: categoryOf(values),
    environment: values.environment,
    scopes: [...values.scopes],
    ...(expiresAt ? { expiresAt } : {}),
    ...(Object.values(quotas).some((v) => v !== null) ? { quotas } : {}),
    ...(perSecond !== null || perMinute !== null ? { rateLimit: { perSecond, perMinute } } : {}),
    ...(ipAllowlist.length > 0 ? { ipAllowlist } : {}),
    ...(values.autoRenew ? { autoRenew: true } : {}),
  };
}

const sameList = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && a.every((item, i) => item === b[i]);

/**
 * The `key.update` patch for an edit: only the fields that changed, so saving an untouched
 * expiry does not restart an auto-renewing key's lifetime. `{}` when nothing changed.
 */
export function toPatch(key: KeyRecord, values: KeyFormValues, now: number): KeyPatch {
  const patch: KeyPatch = {};
  const name = values.name.trim();
  if (name !== key.name) patch.name = name;
  if (values.description.trim() !== key.description) patch.description = values.description.trim();
  const category = categoryOf(values);
  if (category !== key.category) patch.category = category;
  const scopes = [...values.scopes].sort();
  if (!sameList(scopes, [...key.scopes].sort())) patch.scopes = scopes;
  const expiresAt = expiresAtOf(values, now);
  if (expiresAt !== undefined && expiresAt !== key.expiresAt) patch.expiresAt = expiresAt;

  const quotas: NonNullable<KeyPatch['quotas']> = {};
  for (const [window, field] of Object.entries(QUOTA_FIELDS) as Array<
    [keyof typeof QUOTA_FIELDS, KeyFormField & keyof KeyFormValues]
  >) {
    const value = limitValue(String(values[field]));
    if (value !== key.quotas[window]) quotas[window] = value;
  }
  if (Object.keys(quotas).length > 0) patch.quotas = quotas;

  const perSecond = limitValue(values.rateLimitPerSecond);
  const perMinute = limitValue(values.rateLimitPerMinute);
  if (perSecond !== key.rateLimit.perSecond || perMinute !== key.rateLimit.perMinute) {
    patch.rateLimit = perSecond === null && perMinute === null ? null : { perSecond, perMinute };
  }
  const ipAllowlist = allowlistEntries(values.ipAllowlist);
  if (!sameList(ipAllowlist, key.ipAllowlist)) patch.ipAllowlist = ipAllowlist;
  if (values.autoRenew !== key.autoRenew) patch.autoRenew = values.autoRenew;
  return patch;
}

const SERVER_FIELD: Record<string, KeyFormField> = {
  spaceId: 'spaceId',
  name: 'name',
  description: 'description',
  category: 'category',
  environment: 'environment',
  scopes: 'scopes',
  expiresAt: 'expiresAt',
  quotas: 'quotaDaily',
  'quotas.total': 'quotaTotal',
  'quotas.daily': 'quotaDaily',
  'quotas.weekly': 'quotaWeekly',
  'quotas.monthly': 'quotaMonthly',
  rateLimit: 'rateLimitPerSecond',
  'rateLimit.perSecond': 'rateLimitPerSecond',
  'rateLimit.perMinute': 'rateLimitPerMinute',
  ipAllowlist: 'ipAllowlist',
  autoRenew: 'autoRenew',
};

/**
 * Puts the server's field errors (dotted input paths such as `rateLimit.perSecond`,
 * `scopes.2`, `patch.name`) under the form's fields. Messages for paths the form has no
 * field for come back in `other`, for the alert above the buttons.
 */
export function mapServerFieldErrors(fields: Record<string, string>): MappedServerErrors<KeyFormField> {
  return mapByPath(fields, SERVER_FIELD, (field, index, message) =>
    field === 'ipAllowlist' ? `Entry ${index + 1}: ${message}` : message,
  );
}
