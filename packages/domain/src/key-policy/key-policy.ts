/**
 * Key policies (§10): rules an organization sets for the keys it issues, as organization
 * defaults that a space may only tighten. This module is the one place that decides what a
 * policy means: how an organization's and a space's rules combine, whether a key complies,
 * when the scheduler will act on a key, and what a change of policy does to existing keys.
 * The API enforces with it, its scheduler's SQL mirrors it (tests compare the two), and the
 * admin SPA describes policies with it, so all three agree.
 *
 * Time is in ms since the Unix epoch; a "day" is 86,400,000 ms (no calendar, no DST).
 */

import type { ApiKeyEnvironment } from '../key-format/api-key.js';

export const POLICY_DAY_MS = 86_400_000;

/** Bounds of every "days" rule: at least a day, at most ten years. */
export const POLICY_DAYS_MIN = 1;
export const POLICY_DAYS_MAX = 3650;

/**
 * One set of rules. A `null` number or a `false` flag means "no rule": for an organization,
 * nothing is required; for a space, the organization's rule applies unchanged.
 */
export interface KeyPolicy {
  /** Every key must expire at most this many days ahead (implies an expiry is required). */
  readonly maxLifetimeDays: number | null;
  /** Every key must have an expiry. */
  readonly requireExpiry: boolean;
  /** A key unused this many days is deactivated by the scheduler. */
  readonly idleDeactivateDays: number | null;
  /** A key older than this many days raises `key.rotation_due`, once per period. */
  readonly rotationReminderDays: number | null;
  /** `live` keys must carry an IP allowlist. */
  readonly requireIpAllowlistForLive: boolean;
}

export const KEY_POLICY_FIELDS = [
  'maxLifetimeDays',
  'requireExpiry',
  'idleDeactivateDays',
  'rotationReminderDays',
  'requireIpAllowlistForLive',
] as const;
export type KeyPolicyField = (typeof KEY_POLICY_FIELDS)[number];

/** The `/v1` and webhook spelling of each rule (§10). */
export const KEY_POLICY_WIRE_NAMES: { readonly [F in KeyPolicyField]: string } = {
  maxLifetimeDays: 'max_lifetime_days',
  requireExpiry: 'require_expiry',
  idleDeactivateDays: 'idle_deactivate_days',
  rotationReminderDays: 'rotation_reminder_days',
  requireIpAllowlistForLive: 'require_ip_allowlist_for_live',
};

/** No rules at all: what an organization has until it sets some. */
export const NO_KEY_POLICY: KeyPolicy = {
  maxLifetimeDays: null,
  requireExpiry: false,
  idleDeactivateDays: null,
  rotationReminderDays: null,
  requireIpAllowlistForLive: false,
};

/** What a leak report (§11) does to a key that really leaked; `revoke` unless the organization chose otherwise. */
export const LEAK_RESPONSES = ['revoke', 'deactivate', 'notify'] as const;
export type LeakResponse = (typeof LEAK_RESPONSES)[number];
export const DEFAULT_LEAK_RESPONSE: LeakResponse = 'revoke';

/** Whether `n` is an acceptable value for a "days" rule: a whole number of days in bounds. */
export function isValidPolicyDays(n: number): boolean {
  return Number.isInteger(n) && n >= POLICY_DAYS_MIN && n <= POLICY_DAYS_MAX;
}

function stricterDays(a: number | null, b: number | null): number | null {
  if (a === null) return b;
  if (b === null) return a;
  return Math.min(a, b);
}

/**
 * The rules in force when several policies apply (organization defaults and a space's own):
 * each rule at its strictest. Commutative, associative and idempotent, with
 * {@link NO_KEY_POLICY} as identity, so the order of the layers never matters and a space can
 * never loosen what its organization requires. (The scheduler computes the same with
 * `min(...)` and `bool_or(...)` over the organization's and the space's rows.)
 */
export function mergeKeyPolicies(...policies: readonly KeyPolicy[]): KeyPolicy {
  let merged = NO_KEY_POLICY;
  for (const p of policies) {
    merged = {
      maxLifetimeDays: stricterDays(merged.maxLifetimeDays, p.maxLifetimeDays),
      requireExpiry: merged.requireExpiry || p.requireExpiry,
      idleDeactivateDays: stricterDays(merged.idleDeactivateDays, p.idleDeactivateDays),
      rotationReminderDays: stricterDays(merged.rotationReminderDays, p.rotationReminderDays),
      requireIpAllowlistForLive: merged.requireIpAllowlistForLive || p.requireIpAllowlistForLive,
    };
  }
  return merged;
}

function plural(n: number, unit: string): string {
  return `${n} ${unit}${n === 1 ? '' : 's'}`;
}

/** A rule a space sets more loosely than its organization, which therefore has no effect. */
export interface LooserRule {
  field: KeyPolicyField;
  message: string;
}

/**
 * The rules of `space` that are looser than `organization`'s (a space may only tighten).
 * Flags cannot be looser (a space's `false` means "as the organization"), only numbers: a
 * space saying 120 days where the organization says 90.
 */
export function looserThanOrganization(organization: KeyPolicy, space: KeyPolicy): LooserRule[] {
  const out: LooserRule[] = [];
  const check = (field: 'maxLifetimeDays' | 'idleDeactivateDays' | 'rotationReminderDays', what: string) => {
    const org = organization[field];
    const own = space[field];
    if (org !== null && own !== null && own > org) {
      out.push({
        field,
        message: `The organization sets ${what} to ${plural(org, 'day')}; a space may only tighten it`,
      });
    }
  };
  check('maxLifetimeDays', 'the longest key lifetime');
  check('idleDeactivateDays', 'idle deactivation');
  check('rotationReminderDays', 'the rotation period');
  return out;
}

/** The rules checked when a key is created, edited or rolled. */
export type KeyPolicyRule = 'maxLifetimeDays' | 'requireExpiry' | 'requireIpAllowlistForLive';

/** The key fields those rules look at (the admin's and `/v1`'s `expiresAt` / `ipAllowlist`). */
export type KeyPolicyKeyField = 'expiresAt' | 'ipAllowlist';

export interface KeyPolicyViolation {
  rule: KeyPolicyRule;
  field: KeyPolicyKeyField;
  message: string;
}

/** What the create/edit/roll rules need to know about a key. */
export interface PolicyKeyShape {
  environment: ApiKeyEnvironment;
  /** ms, or null for no expiry. */
  expiresAt: number | null;
  ipAllowlist: readonly string[];
}

function isoDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/**
 * The rules `key` breaks under `policy` at `now`, at most one per key field, in field order
 * (`expiresAt`, then `ipAllowlist`). `max_lifetime_days` implies an expiry: a key without one
 * breaks it (under that rule, not `require_expiry`). A key expiring exactly at the limit complies.
 */
export function keyPolicyViolations(
  policy: KeyPolicy,
  key: PolicyKeyShape,
  now: number,
): KeyPolicyViolation[] {
  const out: KeyPolicyViolation[] = [];
  const max = policy.maxLifetimeDays;
  if (max !== null) {
    const latest = now + max * POLICY_DAY_MS;
    if (key.expiresAt === null) {
      out.push({
        rule: 'maxLifetimeDays',
        field: 'expiresAt',
        message: `Keys here must expire within ${plural(max, 'day')}: set an expiry date`,
      });
    } else if (key.expiresAt > latest) {
      out.push({
        rule: 'maxLifetimeDays',
        field: 'expiresAt',
        message: `Keys here must expire within ${plural(max, 'day')} (on ${isoDay(latest)} at the latest)`,
      });
    }
  } else if (policy.requireExpiry && key.expiresAt === null) {
    out.push({ rule: 'requireExpiry', field: 'expiresAt', message: 'Keys here must have an expiry date' });
  }
  if (policy.requireIpAllowlistForLive && key.environment === 'live' && key.ipAllowlist.length === 0) {
    out.push({
      rule: 'requireIpAllowlistForLive',
      field: 'ipAllowlist',
      message: 'Live keys here must have an IP allowlist',
    });
  }
  return out;
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

/**
 * The rules an edit breaks: the violations of the key after the edit, on the fields the edit
 * changed. An edit that leaves a field as it was never fails on it, so tightening a policy
 * never blocks renaming a key that predates it; an edit that touches a field must bring it
 * into the policy. (Create and roll check every field: they make a new key.)
 */
export function keyChangeViolations(
  policy: KeyPolicy,
  before: PolicyKeyShape,
  after: PolicyKeyShape,
  now: number,
): KeyPolicyViolation[] {
  return keyPolicyViolations(policy, after, now).filter((v) =>
    v.field === 'expiresAt'
      ? before.expiresAt !== after.expiresAt
      : !sameList(before.ipAllowlist, after.ipAllowlist) || before.environment !== after.environment,
  );
}

/** What the scheduled rules (idle deactivation, rotation reminders) need to know about a key. */
export interface PolicyKeyActivity extends PolicyKeyShape {
  createdAt: number;
  lastUsedAt: number | null;
  /** When an admin last reactivated the key: reactivating restarts the idle clock. */
  reactivatedAt: number | null;
  /** When the last `key.rotation_due` went out, if ever. */
  rotationRemindedAt: number | null;
  active: boolean;
  /** Revoked, or its roll grace period has ended. */
  revoked: boolean;
  /** Rolled and in its grace period: it is being replaced, so neither rule applies to it. */
  retiring: boolean;
}

/** Whether the key can still be used (not revoked, retiring or expired); the scheduled rules only touch these. */
function isLive(key: PolicyKeyActivity, now: number): boolean {
  return !key.revoked && !key.retiring && (key.expiresAt === null || key.expiresAt > now);
}

/**
 * The instant the idle clock started: the last use, creation, or the last reactivation,
 * whichever is latest (§10 "since `last_used_at`, or `created_at` if never used"; a
 * reactivation counts as a fresh start, or an admin's reactivation would be undone at once).
 */
export function idleSince(
  key: Pick<PolicyKeyActivity, 'createdAt' | 'lastUsedAt' | 'reactivatedAt'>,
): number {
  return Math.max(key.createdAt, key.lastUsedAt ?? key.createdAt, key.reactivatedAt ?? key.createdAt);
}

/**
 * When the scheduler deactivates the key for being idle, if it stays unused: `idleSince +
 * idle_deactivate_days`; null when the policy has no idle rule or the key is inactive, revoked,
 * retiring or expired. An instant at or before `now` means "at the next run".
 */
export function idleDeactivationAt(policy: KeyPolicy, key: PolicyKeyActivity, now: number): number | null {
  const days = policy.idleDeactivateDays;
  if (days === null || !key.active || !isLive(key, now)) return null;
  return idleSince(key) + days * POLICY_DAY_MS;
}

/**
 * When the next `key.rotation_due` goes out: one rotation period after creation, then one
 * period after each reminder (once per period, and never twice in one). Null when the policy
 * has no rotation rule or the key is inactive, revoked, retiring or expired.
 */
export function nextRotationReminderAt(
  policy: KeyPolicy,
  key: PolicyKeyActivity,
  now: number,
): number | null {
  const days = policy.rotationReminderDays;
  if (days === null || !key.active || !isLive(key, now)) return null;
  return (key.rotationRemindedAt ?? key.createdAt) + days * POLICY_DAY_MS;
}

/** The policy status the admin shows for one key (keys table, key detail). */
export interface KeyPolicyStatus {
  /** Rules the key breaks now; it keeps working, but its next edit of that field or roll must comply. */
  violations: KeyPolicyViolation[];
  /** An active key older than the rotation period: roll it. */
  dueForRotation: boolean;
  /** When the key became (or becomes) due for rotation; null without a rotation rule. */
  rotationDueAt: number | null;
  /** When the idle rule deactivates it unless it is used; null when it will not. */
  idleDeactivationAt: number | null;
}

export function keyPolicyStatus(policy: KeyPolicy, key: PolicyKeyActivity, now: number): KeyPolicyStatus {
  const live = isLive(key, now);
  const rotationDays = policy.rotationReminderDays;
  const rotationDueAt =
    rotationDays === null || !live || !key.active ? null : key.createdAt + rotationDays * POLICY_DAY_MS;
  return {
    violations: live ? keyPolicyViolations(policy, key, now) : [],
    dueForRotation: rotationDueAt !== null && rotationDueAt <= now,
    rotationDueAt,
    idleDeactivationAt: idleDeactivationAt(policy, key, now),
  };
}

/** How far ahead a policy change's preview looks for scheduled consequences. */
export const POLICY_PREVIEW_HORIZON_DAYS = 30;

/** Something a change of policy does to an existing key. */
export type PolicyConsequence =
  /** Deactivated for being idle at `at` (≤ now: at the scheduler's next run after saving). */
  | { kind: 'deactivate'; at: number }
  /** A `key.rotation_due` reminder at `at` (≤ now: at the next run). */
  | { kind: 'rotationReminder'; at: number }
  /** Breaks a rule it did not break before; it keeps working, but its next edit of the field or roll must comply. */
  | { kind: 'violation'; rule: KeyPolicyRule; field: KeyPolicyKeyField; message: string };

/**
 * What changing `current` to `next` does to `key`, as an owner must know before saving:
 * scheduled actions that the change brings forward into the next
 * {@link POLICY_PREVIEW_HORIZON_DAYS} days, and rules the key breaks under `next` but not under
 * `current`. Nothing is ever done to a key silently: deactivation and reminders are the only
 * automatic actions, and both are listed with their time. Empty when `next` equals `current`.
 */
export function policyChangeConsequences(
  current: KeyPolicy,
  next: KeyPolicy,
  key: PolicyKeyActivity,
  now: number,
): PolicyConsequence[] {
  const horizon = now + POLICY_PREVIEW_HORIZON_DAYS * POLICY_DAY_MS;
  const out: PolicyConsequence[] = [];
  const sooner = (before: number | null, after: number | null): after is number =>
    after !== null && after <= horizon && (before === null || after < before);
  const deactivateAt = idleDeactivationAt(next, key, now);
  if (sooner(idleDeactivationAt(current, key, now), deactivateAt)) {
    out.push({ kind: 'deactivate', at: Math.max(deactivateAt, now) });
  }
  const remindAt = nextRotationReminderAt(next, key, now);
  if (sooner(nextRotationReminderAt(current, key, now), remindAt)) {
    out.push({ kind: 'rotationReminder', at: Math.max(remindAt, now) });
  }
  if (isLive(key, now)) {
    const before = new Set<KeyPolicyRule>(keyPolicyViolations(current, key, now).map((v) => v.rule));
    // A maximum lifetime implies an expiry: a key without one that already broke the lifetime
    // rule is not newly out of policy when the lifetime rule gives way to `requireExpiry`.
    if (before.has('maxLifetimeDays') && key.expiresAt === null) before.add('requireExpiry');
    for (const v of keyPolicyViolations(next, key, now)) {
      if (!before.has(v.rule)) out.push({ kind: 'violation', ...v });
    }
  }
  return out;
}
