import {
  DEFAULT_LEAK_RESPONSE,
  type KeyPolicy,
  type KeyPolicyViolation,
  keyPolicyStatus,
  type LeakResponse,
  looserThanOrganization,
  mergeKeyPolicies,
  NO_KEY_POLICY,
  type PolicyConsequence,
  type PolicyKeyActivity,
  policyChangeConsequences,
} from '@keysmith/domain';
import { auditOf, authorize, authorizeSpace, type ServiceContext } from '../../auth/service-context.js';
import { newId } from '../../db/ids.js';
import type { Em } from '../../db/orm.js';
import { AppError } from '../../errors.js';
import type { ApiKey } from '../api-key/api-key.entity.js';
import { keyStateOf } from '../api-key/key-state.js';
import { changedFields, recordAudit } from '../audit/audit.service.js';
import { lockOrganization } from '../organization/organization.service.js';
import { Space } from '../space/space.entity.js';
import { KeyPolicyRecord } from './key-policy.entity.js';
import type {
  TKeyPolicies,
  TKeyPolicyStatus,
  TPolicyPreview,
  TPolicyPreviewInput,
  TUpdateOrganizationPolicy,
  TUpdateSpacePolicy,
} from './key-policy.schemas.js';

/** The rules of one stored row; no row means no rules. */
export function policyOf(row: KeyPolicyRecord | null | undefined): KeyPolicy {
  if (!row) return NO_KEY_POLICY;
  return {
    maxLifetimeDays: row.maxLifetimeDays ?? null,
    requireExpiry: row.requireExpiry,
    idleDeactivateDays: row.idleDeactivateDays ?? null,
    rotationReminderDays: row.rotationReminderDays ?? null,
    requireIpAllowlistForLive: row.requireIpAllowlistForLive,
  };
}

/** An organization's rules and each space's own rules, read in one query. */
export interface PolicyBook {
  organization: KeyPolicy;
  leakResponse: LeakResponse;
  spaces: ReadonlyMap<string, KeyPolicy>;
}

export async function loadPolicyBook(em: Em, organizationId: string): Promise<PolicyBook> {
  const rows = await em.find(KeyPolicyRecord, { organization: organizationId });
  const orgRow = rows.find((r) => !r.space);
  const spaces = new Map<string, KeyPolicy>();
  for (const row of rows) if (row.space) spaces.set(row.space.id, policyOf(row));
  return {
    organization: policyOf(orgRow),
    leakResponse: orgRow?.leakResponse ?? DEFAULT_LEAK_RESPONSE,
    spaces,
  };
}

/** What the organization's leak policy (§11) does to a key that really leaked. */
export async function leakResponseOf(em: Em, organizationId: string): Promise<LeakResponse> {
  const row = await em.findOne(KeyPolicyRecord, { organization: organizationId, space: null });
  return row?.leakResponse ?? DEFAULT_LEAK_RESPONSE;
}

/** The rules in force for keys of `spaceId`: the organization's, tightened by the space's own. */
export function effectivePolicy(book: PolicyBook, spaceId: string): KeyPolicy {
  return mergeKeyPolicies(book.organization, book.spaces.get(spaceId) ?? NO_KEY_POLICY);
}

/** {@link effectivePolicy} for one space, reading only its two rows. */
export async function effectivePolicyFor(
  em: Em,
  organizationId: string,
  spaceId: string,
): Promise<KeyPolicy> {
  const rows = await em.find(KeyPolicyRecord, {
    organization: organizationId,
    $or: [{ space: null }, { space: spaceId }],
  });
  return mergeKeyPolicies(...rows.map(policyOf));
}

/**
 * Refuses a key that breaks the policy: `BAD_REQUEST` (400 `VALIDATION` on `/v1`) with one
 * message per offending key field (`expiresAt`, `ipAllowlist`), the first as the message.
 */
export function assertKeyPolicy(violations: readonly KeyPolicyViolation[]): void {
  const [first] = violations;
  if (!first) return;
  throw new AppError(
    'BAD_REQUEST',
    first.message,
    Object.fromEntries(violations.map((v) => [v.field, v.message])),
  );
}

/** What the policy rules need to know about a stored key. */
export function policyActivityOf(key: ApiKey, now: Date): PolicyKeyActivity {
  return {
    environment: key.environment,
    expiresAt: key.expiresAt ? key.expiresAt.getTime() : null,
    ipAllowlist: key.ipAllowlist,
    createdAt: key.createdAt.getTime(),
    lastUsedAt: key.lastUsedAt ? key.lastUsedAt.getTime() : null,
    reactivatedAt: key.reactivatedAt ? key.reactivatedAt.getTime() : null,
    rotationRemindedAt: key.rotationRemindedAt ? key.rotationRemindedAt.getTime() : null,
    active: key.active,
    revoked: keyStateOf(key, now) === 'revoked',
    retiring: key.graceEndsAt != null,
  };
}

function isoOrNull(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString();
}

/** The admin's view of how a key stands against the rules of its space. */
export function keyPolicyStatusDto(policy: KeyPolicy, key: ApiKey, now: Date): TKeyPolicyStatus {
  const status = keyPolicyStatus(policy, policyActivityOf(key, now), now.getTime());
  return {
    violations: status.violations.map((v) => ({ rule: v.rule, field: v.field, message: v.message })),
    dueForRotation: status.dueForRotation,
    rotationDueAt: isoOrNull(status.rotationDueAt),
    idleDeactivationAt: isoOrNull(status.idleDeactivationAt),
  };
}

async function findSpaceOf(em: Em, organizationId: string, spaceId: string): Promise<Space> {
  const space = await em.findOne(Space, { id: spaceId, organization: organizationId });
  if (!space) throw AppError.notFound('Space');
  return space;
}

function policiesDto(book: PolicyBook, spaceId: string | undefined): TKeyPolicies {
  const own = spaceId === undefined ? null : (book.spaces.get(spaceId) ?? NO_KEY_POLICY);
  return {
    organization: { ...book.organization },
    leakResponse: book.leakResponse,
    space: own ? { ...own } : null,
    effective: own ? mergeKeyPolicies(book.organization, own) : { ...book.organization },
    looser: own ? looserThanOrganization(book.organization, own) : [],
  };
}

/**
 * The organization's rules, and with `spaceId` that space's own rules and those in force there.
 * Needs `keyPolicy.read`, and with `spaceId` also `space.read` there.
 */
export async function readKeyPolicies(ctx: ServiceContext, spaceId?: string): Promise<TKeyPolicies> {
  authorize(ctx, 'keyPolicy.read');
  if (spaceId !== undefined) authorizeSpace(ctx, 'space.read', spaceId);
  return keyPoliciesOf(ctx.em, ctx.organizationId, spaceId);
}

/** {@link readKeyPolicies} without the permission checks. */
async function keyPoliciesOf(em: Em, organizationId: string, spaceId?: string): Promise<TKeyPolicies> {
  if (spaceId !== undefined) await findSpaceOf(em, organizationId, spaceId);
  return policiesDto(await loadPolicyBook(em, organizationId), spaceId);
}

/** The stored row of the organization (`spaceId` null) or a space, created when missing. */
async function policyRow(tx: Em, organizationId: string, spaceId: string | null): Promise<KeyPolicyRecord> {
  const existing = await tx.findOne(KeyPolicyRecord, { organization: organizationId, space: spaceId });
  if (existing) return existing;
  return tx.create(KeyPolicyRecord, {
    id: newId('kpl'),
    organization: organizationId,
    space: spaceId,
    maxLifetimeDays: null,
    requireExpiry: false,
    idleDeactivateDays: null,
    rotationReminderDays: null,
    requireIpAllowlistForLive: false,
    leakResponse: null,
  });
}

function applyPolicy(row: KeyPolicyRecord, policy: KeyPolicy): void {
  row.maxLifetimeDays = policy.maxLifetimeDays;
  row.requireExpiry = policy.requireExpiry;
  row.idleDeactivateDays = policy.idleDeactivateDays;
  row.rotationReminderDays = policy.rotationReminderDays;
  row.requireIpAllowlistForLive = policy.requireIpAllowlistForLive;
}

/**
 * Saves the organization's default rules and its leak response (audited with before/after).
 * Existing keys are never changed here: the scheduler applies the idle and rotation rules from
 * its next run, and the create/edit/roll rules apply from the next change of a key. The
 * organization row is locked, so concurrent saves apply one after the other. Needs
 * `keyPolicy.manage`.
 */
export async function updateOrganizationPolicy(
  ctx: ServiceContext,
  input: TUpdateOrganizationPolicy,
): Promise<TKeyPolicies> {
  authorize(ctx, 'keyPolicy.manage');
  const { organizationId } = ctx;
  await ctx.em.transactional(async (tx) => {
    await lockOrganization(tx, organizationId);
    const row = await policyRow(tx, organizationId, null);
    const before = { ...policyOf(row), leakResponse: row.leakResponse ?? DEFAULT_LEAK_RESPONSE };
    applyPolicy(row, input.policy);
    row.leakResponse = input.leakResponse;
    const diff = changedFields(before, { ...policyOf(row), leakResponse: input.leakResponse });
    if (diff) {
      recordAudit(tx, auditOf(ctx), {
        organizationId,
        action: 'key_policy.update',
        target: { type: 'organization', id: organizationId },
        ...diff,
      });
    }
    await tx.flush();
  });
  return keyPoliciesOf(ctx.em.fork(), organizationId);
}

/**
 * Saves a space's own rules. A rule looser than the organization's is refused (400 naming
 * `policy.<rule>`): a space may only tighten. Archived spaces are read-only. Needs
 * `space.keyPolicy` in the space.
 */
export async function updateSpacePolicy(
  ctx: ServiceContext,
  input: TUpdateSpacePolicy,
): Promise<TKeyPolicies> {
  authorizeSpace(ctx, 'space.keyPolicy', input.spaceId);
  const { organizationId } = ctx;
  await ctx.em.transactional(async (tx) => {
    await lockOrganization(tx, organizationId);
    const space = await findSpaceOf(tx, organizationId, input.spaceId);
    if (space.archivedAt) {
      throw new AppError('PRECONDITION_FAILED', 'This space is archived and read-only; unarchive it first');
    }
    const org = policyOf(await tx.findOne(KeyPolicyRecord, { organization: organizationId, space: null }));
    const looser = looserThanOrganization(org, input.policy);
    const [first] = looser;
    if (first) {
      throw new AppError(
        'BAD_REQUEST',
        first.message,
        Object.fromEntries(looser.map((l) => [`policy.${l.field}`, l.message])),
      );
    }
    const row = await policyRow(tx, organizationId, space.id);
    const before = policyOf(row);
    applyPolicy(row, input.policy);
    const diff = changedFields({ ...before }, { ...policyOf(row) });
    if (diff) {
      recordAudit(tx, auditOf(ctx), {
        organizationId,
        action: 'key_policy.update',
        target: { type: 'space', id: space.id, label: space.name },
        ...diff,
      });
    }
    await tx.flush();
  });
  return keyPoliciesOf(ctx.em.fork(), organizationId, input.spaceId);
}

interface PreviewRow {
  id: string;
  name: string;
  preview: string;
  environment: 'live' | 'test';
  space_id: string;
  space_name: string;
  expires_at: Date | string | null;
  ip_allowlist: string[] | string;
  created_at: Date | string;
  last_used_at: Date | string | null;
  reactivated_at: Date | string | null;
  rotation_reminded_at: Date | string | null;
  active: boolean;
  grace_ends_at: Date | string | null;
}

function ms(value: Date | string | null): number | null {
  return value === null ? null : new Date(value).getTime();
}

const PREVIEW_KEYS = 100;

/**
 * What saving `input.policy` (for the organization, or for one space) would do to existing
 * keys, computed with the same domain rules the scheduler and the key service enforce: keys
 * deactivated at once or within the preview horizon, rotation reminders, and rules keys would
 * newly break. Nothing is saved. Whoever may save the policy may preview it: `keyPolicy.manage`
 * for the organization's, `space.keyPolicy` for a space's. `deps.beforeRead` runs once the
 * caller is allowed, before anything is read (the tRPC adapter writes pending last use there).
 */
export async function previewPolicyChange(
  ctx: ServiceContext,
  input: TPolicyPreviewInput,
  deps: { beforeRead?: () => Promise<void> } = {},
): Promise<TPolicyPreview> {
  if (input.spaceId === undefined) authorize(ctx, 'keyPolicy.manage');
  else authorizeSpace(ctx, 'space.keyPolicy', input.spaceId);
  await deps.beforeRead?.();
  const { em, organizationId, now } = ctx;
  const spaceId = input.spaceId;
  if (spaceId !== undefined) await findSpaceOf(em, organizationId, spaceId);
  const book = await loadPolicyBook(em, organizationId);
  const next = (space: string): KeyPolicy =>
    spaceId === undefined
      ? mergeKeyPolicies(input.policy, book.spaces.get(space) ?? NO_KEY_POLICY)
      : mergeKeyPolicies(book.organization, input.policy);
  const rows = await em.execute<PreviewRow[]>(
    `select k.id, k.name, k.preview, k.environment, k.space_id, s.name as space_name, k.expires_at,
            k.ip_allowlist, k.created_at, k.last_used_at, k.reactivated_at, k.rotation_reminded_at,
            k.active, k.grace_ends_at
       from api_keys k join spaces s on s.id = k.space_id
      where k.organization_id = ? and k.revoked_at is null
        and (k.grace_ends_at is null or k.grace_ends_at > ?)
        ${spaceId === undefined ? '' : 'and k.space_id = ?'}`,
    spaceId === undefined ? [organizationId, now] : [organizationId, now, spaceId],
  );
  const t = now.getTime();
  const counts = { deactivateNow: 0, deactivateLater: 0, remindNow: 0, remindLater: 0, violations: 0 };
  const affected: { row: PreviewRow; consequences: PolicyConsequence[]; soonest: number }[] = [];
  for (const row of rows) {
    const key: PolicyKeyActivity = {
      environment: row.environment,
      expiresAt: ms(row.expires_at),
      ipAllowlist: typeof row.ip_allowlist === 'string' ? JSON.parse(row.ip_allowlist) : row.ip_allowlist,
      createdAt: ms(row.created_at) ?? t,
      lastUsedAt: ms(row.last_used_at),
      reactivatedAt: ms(row.reactivated_at),
      rotationRemindedAt: ms(row.rotation_reminded_at),
      active: row.active,
      revoked: false,
      retiring: row.grace_ends_at !== null,
    };
    const consequences = policyChangeConsequences(
      effectivePolicy(book, row.space_id),
      next(row.space_id),
      key,
      t,
    );
    if (consequences.length === 0) continue;
    let soonest = Number.POSITIVE_INFINITY;
    for (const c of consequences) {
      if (c.kind === 'violation') counts.violations += 1;
      else {
        soonest = Math.min(soonest, c.at);
        const immediate = c.at <= t;
        if (c.kind === 'deactivate') counts[immediate ? 'deactivateNow' : 'deactivateLater'] += 1;
        else counts[immediate ? 'remindNow' : 'remindLater'] += 1;
      }
    }
    affected.push({ row, consequences, soonest });
  }
  affected.sort((a, b) => a.soonest - b.soonest || a.row.name.localeCompare(b.row.name));
  return {
    now: now.toISOString(),
    keysChecked: rows.length,
    affected: affected.length,
    counts,
    keys: affected.slice(0, PREVIEW_KEYS).map(({ row, consequences }) => ({
      id: row.id,
      name: row.name,
      preview: row.preview,
      environment: row.environment,
      space: { id: row.space_id, name: row.space_name },
      consequences: consequences.map((c) =>
        c.kind === 'violation'
          ? { kind: c.kind, at: null, rule: c.rule, field: c.field, message: c.message }
          : { kind: c.kind, at: new Date(c.at).toISOString(), rule: null, field: null, message: null },
      ),
    })),
  };
}
