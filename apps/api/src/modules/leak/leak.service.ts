import { timingSafeEqual } from 'node:crypto';
import { type LeakResponse, parseApiKey } from '@keysmith/domain';
import type { Principal } from '../../auth/principal.js';
import { auditActorOf } from '../../auth/principal.js';
import { authorize, type ServiceContext } from '../../auth/service-context.js';
import { newId } from '../../db/ids.js';
import type { Em } from '../../db/orm.js';
import { sha256Bytes } from '../../digest.js';
import { AppError } from '../../errors.js';
import { ApiKey } from '../api-key/api-key.entity.js';
import { DeferredKeyChanges, type KeyChangePublisher } from '../api-key/key-changes.js';
import { keyStateOf } from '../api-key/key-state.js';
import { revokeKey, setKeyActive } from '../api-key/revoke-key.js';
import { recordAudit } from '../audit/audit.service.js';
import { emitEvent } from '../event/event.service.js';
import { keyEventPayload, keySubjectOf } from '../event/key-event-payload.js';
import { leakResponseOf } from '../key-policy/key-policy.service.js';
import { SecurityEvent } from '../security/security-event.entity.js';
import type { TReportLeakInput, TReportLeakResult } from './leak.schemas.js';

/** One leak report (§11): the token found, and where. */
export interface LeakReport {
  token: string;
  url?: string | undefined;
  source?: string | undefined;
}

/** Who reported: a secret scanner with a verified signature, anyone holding the key, or a signed-in member. */
export type LeakReporter =
  | { kind: 'scanner'; keyIdentifier: string; ip: string | null }
  | { kind: 'public'; ip: string | null }
  | { kind: 'member'; organizationId: string; userId: string; email: string; ip: string | null };

/** What was done about a report that named a real key. */
export type LeakAction = 'revoked' | 'deactivated' | 'none';

export interface LeakOutcome {
  label: 'true_positive' | 'false_positive';
  /** Set for true positives only. */
  keyId: string | null;
  organizationId: string | null;
  action: LeakAction | null;
}

const FALSE_POSITIVE: LeakOutcome = {
  label: 'false_positive',
  keyId: null,
  organizationId: null,
  action: null,
};

/** Compared against when the key id is unknown, so that case costs what a wrong secret costs. */
const DUMMY_HASH = Buffer.alloc(32, 0x5a);

/** The `reported_by` of events and audit rows. */
function reporterKind(reporter: LeakReporter): 'secret_scanner' | 'public_report' | 'member' {
  return reporter.kind === 'scanner'
    ? 'secret_scanner'
    : reporter.kind === 'public'
      ? 'public_report'
      : 'member';
}

/**
 * The system principal a leak response acts as (decision 0021): Keysmith acts on the evidence
 * of the report, not on anyone's permission, so a scanner or a viewer who holds the key can stop
 * it. The label says who reported; a member of another organization stays anonymous to this one.
 */
function leakPrincipal(reporter: LeakReporter, organizationId: string): Principal {
  const label =
    reporter.kind === 'scanner'
      ? `secret scanner (key ${reporter.keyIdentifier.slice(0, 16)})`
      : reporter.kind === 'member' && reporter.organizationId === organizationId
        ? `leak report by ${reporter.email}`
        : 'leak report';
  return { kind: 'system', label, ip: reporter.ip };
}

/**
 * Finds the stored key a token is the secret of. Always one primary-key lookup and one
 * constant-time comparison of SHA-256 hashes (against a dummy when the id is unknown), so an
 * unknown id and a wrong secret take the same time and give the same answer. Tokens that do
 * not parse (format or checksum) never reach the database.
 */
async function matchToken(em: Em, token: string): Promise<{ id: string; organizationId: string } | null> {
  const parsed = parseApiKey(token.trim());
  if (!parsed.ok) return null;
  const rows = await em.execute<{ id: string; organization_id: string; secret_hash: string }[]>(
    'select id, organization_id, secret_hash from api_keys where id = ?',
    [parsed.key.keyId],
  );
  const row = rows[0];
  const stored = row ? Buffer.from(row.secret_hash, 'hex') : DUMMY_HASH;
  const presented = sha256Bytes(parsed.key.secret);
  const equal = stored.length === presented.length && timingSafeEqual(stored, presented);
  return row && equal ? { id: row.id, organizationId: row.organization_id } : null;
}

/** URL and source as reported, bounded (they are shown to admins and sent in webhooks). */
function bounded(value: string | undefined, max: number): string | null {
  if (value === undefined) return null;
  const trimmed = value.trim();
  return trimmed === '' ? null : trimmed.slice(0, max);
}

interface LeakRecordInput {
  key: ApiKey;
  report: LeakReport;
  reporter: LeakReporter;
  response: LeakResponse;
  action: LeakAction;
  principal: Principal;
  now: Date;
}

/**
 * The records every handled leak leaves, in the transaction of the response: a `key_leaked`
 * security event (with the URL), an audit row, and the `key.leaked` event (notification and
 * webhook).
 */
async function queueLeakRecords(em: Em, input: LeakRecordInput): Promise<void> {
  const { key, report, reporter, response, action, principal, now } = input;
  const url = bounded(report.url, 2048);
  const source = bounded(report.source, 64);
  const reportedBy = reporterKind(reporter);
  const organizationId = key.organization.id;
  em.create(SecurityEvent, {
    id: newId('sec'),
    organizationId,
    kind: 'key_leaked',
    ip: reporter.ip,
    keyId: key.id,
    details: {
      url,
      source,
      reported_by: reportedBy,
      ...(reporter.kind === 'scanner' ? { scanner_key: reporter.keyIdentifier } : {}),
      response,
      action,
    },
    createdAt: now,
  });
  recordAudit(em, auditActorOf(principal), {
    organizationId,
    action: 'key.leak_reported',
    target: { type: 'api_key', id: key.id, label: key.name },
    after: {
      url,
      source,
      reportedBy,
      ...(reporter.kind === 'member' && reporter.organizationId === organizationId
        ? { reporterUserId: reporter.userId }
        : {}),
      response,
      action,
    },
  });
  await emitEvent(
    em,
    organizationId,
    'key.leaked',
    keyEventPayload(keySubjectOf(key), {
      url,
      source,
      reported_by: reportedBy,
      response,
      action,
      reported_at: now.toISOString(),
    }),
    now,
  );
}

/** Whether this key was already reported at this URL (a re-sent report): nothing new to record. */
async function alreadyReported(em: Em, key: ApiKey, url: string | null): Promise<boolean> {
  const rows = await em.execute<{ n: number }[]>(
    `select 1 as n from security_events
      where organization_id = ? and kind = 'key_leaked' and key_id = ?
        and coalesce(details->>'url', '') = ? limit 1`,
    [key.organization.id, key.id, url ?? ''],
  );
  return rows.length > 0;
}

/**
 * Applies the organization's leak response to one confirmed leak, in one transaction that
 * holds the key's row lock (two reports of one key cannot both act). Revoke and deactivate go
 * through the key service, exactly as an admin's click (audit, `key.revoked`, version bump),
 * and are announced to every process's cache once the transaction commits.
 */
async function respond(
  em: Em,
  changes: KeyChangePublisher,
  match: { id: string; organizationId: string },
  report: LeakReport,
  reporter: LeakReporter,
  now: Date,
): Promise<LeakAction> {
  const deferred = new DeferredKeyChanges(changes);
  const action = await em.transactional(async (tx) => {
    await tx.execute('select id from api_keys where id = ? for update', [match.id]);
    const key = await tx.findOneOrFail(
      ApiKey,
      { id: match.id, organization: match.organizationId },
      {
        populate: ['space'],
      },
    );
    const leakResponse = await leakResponseOf(tx, match.organizationId);
    const principal = leakPrincipal(reporter, match.organizationId);
    const ctx: ServiceContext = { em: tx, organizationId: match.organizationId, principal, now };
    const act: LeakAction =
      keyStateOf(key, now) === 'revoked'
        ? 'none'
        : leakResponse === 'revoke'
          ? 'revoked'
          : leakResponse === 'deactivate' && key.active
            ? 'deactivated'
            : 'none';
    const records = () =>
      queueLeakRecords(tx, { key, report, reporter, response: leakResponse, action: act, principal, now });
    if (act === 'revoked') {
      await revokeKey(ctx, deferred, key.id, { reason: 'leaked', alongside: records });
    } else if (act === 'deactivated') {
      await setKeyActive(ctx, deferred, key.id, false, { alongside: records });
    } else if (!(await alreadyReported(tx, key, bounded(report.url, 2048)))) {
      await records();
      await tx.flush();
    }
    return act;
  });
  deferred.release();
  return action;
}

export interface LeakServiceDeps {
  /** Forked per report: each report commits on its own. */
  em: () => Em;
  changes: KeyChangePublisher;
}

/**
 * Handles leak reports (§11) one by one, in order: a token that parses and matches a stored
 * key's secret is a true positive, handled by its organization's leak response (`revoke` by
 * default, `deactivate`, or `notify`) and recorded; anything else is a false positive that
 * leaves no trace and takes the same path up to the comparison.
 */
export async function handleLeakReports(
  deps: LeakServiceDeps,
  reports: readonly LeakReport[],
  reporter: LeakReporter,
  now: () => Date = () => new Date(),
): Promise<LeakOutcome[]> {
  const outcomes: LeakOutcome[] = [];
  for (const report of reports) {
    const match = await matchToken(deps.em(), report.token);
    if (!match) {
      outcomes.push(FALSE_POSITIVE);
      continue;
    }
    const action = await respond(deps.em(), deps.changes, match, report, reporter, now());
    outcomes.push({ label: 'true_positive', keyId: match.id, organizationId: match.organizationId, action });
  }
  return outcomes;
}

/**
 * "Report as leaked" from the admin (§11): the same path as `POST /v1/leaks`, by a member of
 * `ctx`'s organization (possession of the full key proves the leak, so every role may). The
 * answer names the key and what was done only when the key belongs to that organization.
 */
export async function reportLeakAsMember(
  ctx: ServiceContext,
  deps: Omit<LeakServiceDeps, 'em'>,
  input: TReportLeakInput,
): Promise<TReportLeakResult> {
  authorize(ctx, 'leak.report');
  const { principal } = ctx;
  if (principal.kind !== 'user')
    throw new AppError('FORBIDDEN', 'Only a signed-in member can report a leak here');
  const [outcome] = await handleLeakReports(
    { em: () => ctx.em.fork(), changes: deps.changes },
    [{ token: input.token, url: input.url, source: 'admin' }],
    {
      kind: 'member',
      organizationId: ctx.organizationId,
      userId: principal.userId,
      email: principal.label,
      ip: principal.ip,
    },
  );
  const own = outcome?.organizationId === ctx.organizationId;
  return {
    label: outcome?.label ?? 'false_positive',
    keyId: own ? (outcome?.keyId ?? null) : null,
    action: own ? (outcome?.action ?? null) : null,
  };
}
