import { randomBytes } from 'node:crypto';
import type { QueryResult } from '@mikro-orm/core';
import { can } from '../../auth/policy.js';
import { actorOf, auditOf, authorize, type ServiceContext } from '../../auth/service-context.js';
import { newId } from '../../db/ids.js';
import type { Em } from '../../db/orm.js';
import { sha256Hex } from '../../digest.js';
import { AppError, isUniqueViolation } from '../../errors.js';
import { type AuditActor, recordAudit } from '../audit/audit.service.js';
import { Membership } from '../membership/membership.entity.js';
import type { TOrganization } from '../organization/organization.schemas.js';
import { lockOrganization, toOrganizationDto } from '../organization/organization.service.js';
import { User } from '../user/user.entity.js';
import { Invitation } from './invitation.entity.js';
import type {
  TCreatedInvitation,
  TCreateInvitation,
  TInvitation,
  TInvitationPreview,
  TInvitationStatus,
} from './invitation.schemas.js';

/** How long an invitation link stays valid. */
export const INVITATION_TTL_MS = 7 * 24 * 60 * 60 * 1000;

/** 32 random bytes, base64url: 256 bits, safe in a URL path. */
export function generateInvitationToken(): string {
  return randomBytes(32).toString('base64url');
}

/** The link an admin copies; `publicUrl` is the SPA's base URL. */
export function invitationLink(publicUrl: string, token: string): string {
  return `${publicUrl.replace(/\/+$/, '')}/invite/${token}`;
}

/** Accepted and revoked are final; otherwise the clock decides. */
export function invitationStatus(inv: Invitation, now = new Date()): TInvitationStatus {
  if (inv.acceptedAt) return 'accepted';
  if (inv.revokedAt) return 'revoked';
  if (inv.expiresAt.getTime() <= now.getTime()) return 'expired';
  return 'pending';
}

export function toInvitationDto(inv: Invitation, now = new Date()): TInvitation {
  const inviter = inv.invitedBy;
  return {
    id: inv.id,
    email: inv.email,
    role: inv.role,
    status: invitationStatus(inv, now),
    invitedBy: inviter ? { id: inviter.id, displayName: inviter.displayName } : null,
    createdAt: inv.createdAt,
    expiresAt: inv.expiresAt,
    acceptedAt: inv.acceptedAt ?? null,
    revokedAt: inv.revokedAt ?? null,
  };
}

function invitationTarget(inv: Invitation): { type: string; id: string; label: string } {
  return { type: 'invitation', id: inv.id, label: inv.email };
}

const UNUSABLE: Record<Exclude<TInvitationStatus, 'pending'>, string> = {
  accepted: 'This invitation has already been used. Ask for a new one if you still need access.',
  revoked: 'This invitation was revoked. Ask an admin of the organization for a new one.',
  expired: 'This invitation has expired. Ask an admin of the organization for a new one.',
};

/**
 * Invites an email address with an organization role. Only owners may invite owners. A
 * still-pending invitation for the same address is revoked and replaced. Returns the link
 * (with the token) this once; only the token's hash is stored. Owners and admins.
 */
export async function createInvitation(
  ctx: ServiceContext,
  input: TCreateInvitation,
  publicUrl: string,
): Promise<TCreatedInvitation> {
  authorize(ctx, 'member.invite');
  const actor = actorOf(ctx);
  if (input.role === 'owner' && !can(actor, 'member.manageOwners')) {
    throw AppError.field('FORBIDDEN', 'role', 'Only owners can invite owners');
  }
  const orgId = ctx.organizationId;
  const audit = auditOf(ctx);
  const emailNormalized = input.email.toLowerCase();
  const token = generateInvitationToken();
  const now = new Date();
  const invitation = await ctx.em.transactional(
    async (tx) => {
      // Serialises invitations per organization, so two concurrent invites of one address
      // cannot both stay pending.
      await lockOrganization(tx, orgId);
      const existing = await tx.count(Membership, {
        organization: orgId,
        user: { emailNormalized },
      });
      if (existing > 0) {
        throw AppError.field('CONFLICT', 'email', 'This person is already a member of the organization');
      }
      const pending = await tx.find(Invitation, {
        organization: orgId,
        emailNormalized,
        acceptedAt: null,
        revokedAt: null,
        expiresAt: { $gt: now },
      });
      for (const old of pending) {
        old.revokedAt = now;
        recordAudit(tx, audit, {
          organizationId: orgId,
          action: 'invitation.revoke',
          target: invitationTarget(old),
          before: { status: 'pending' },
          after: { status: 'revoked', reason: 'replaced by a new invitation' },
        });
      }
      const inv = tx.create(Invitation, {
        id: newId('inv'),
        organization: orgId,
        email: input.email,
        emailNormalized,
        role: input.role,
        tokenHash: sha256Hex(token),
        invitedBy: actor.userId,
        expiresAt: new Date(now.getTime() + INVITATION_TTL_MS),
        acceptedAt: null,
        acceptedBy: null,
        revokedAt: null,
      });
      recordAudit(tx, audit, {
        organizationId: orgId,
        action: 'invitation.create',
        target: invitationTarget(inv),
        after: {
          email: inv.email,
          role: inv.role,
          expiresAt: inv.expiresAt.toISOString(),
          ...(pending.length > 0 ? { replaced: pending.map((p) => p.id) } : {}),
        },
      });
      await tx.flush();
      await tx.populate(inv, ['invitedBy']);
      return inv;
    },
    { clear: true },
  );
  return { invitation: toInvitationDto(invitation, now), link: invitationLink(publicUrl, token) };
}

/** Every invitation of the organization, newest first, with its computed status. Owners and admins. */
export async function listInvitations(ctx: ServiceContext): Promise<TInvitation[]> {
  authorize(ctx, 'invitation.list');
  const now = new Date();
  const invitations = await ctx.em.find(
    Invitation,
    { organization: ctx.organizationId },
    { populate: ['invitedBy'], orderBy: { createdAt: 'desc', id: 'desc' } },
  );
  return invitations.map((inv) => toInvitationDto(inv, now));
}

/** Revokes a pending (or expired) invitation; its link stops working at once. Owners and admins. */
export async function revokeInvitation(ctx: ServiceContext, invitationId: string): Promise<TInvitation> {
  authorize(ctx, 'invitation.revoke');
  return ctx.em.transactional(
    async (tx) => {
      const inv = await tx.findOne(
        Invitation,
        { id: invitationId, organization: ctx.organizationId },
        { populate: ['invitedBy'] },
      );
      if (!inv) throw AppError.notFound('Invitation');
      const status = invitationStatus(inv);
      if (status === 'accepted') {
        throw new AppError(
          'PRECONDITION_FAILED',
          'This invitation has already been accepted; remove the member instead',
        );
      }
      if (status === 'revoked') return toInvitationDto(inv);
      inv.revokedAt = new Date();
      recordAudit(tx, auditOf(ctx), {
        organizationId: ctx.organizationId,
        action: 'invitation.revoke',
        target: invitationTarget(inv),
        before: { status },
        after: { status: 'revoked' },
      });
      await tx.flush();
      return toInvitationDto(inv);
    },
    { clear: true },
  );
}

async function findByToken(em: Em, token: string): Promise<Invitation> {
  const inv = await em.findOne(
    Invitation,
    { tokenHash: sha256Hex(token) },
    { populate: ['organization', 'invitedBy'] },
  );
  if (!inv) throw AppError.notFound('Invitation');
  return inv;
}

/** What the accept screen shows. Anyone with the link may see it: the token is the secret. */
export async function previewInvitation(em: Em, token: string): Promise<TInvitationPreview> {
  const inv = await findByToken(em, token);
  const status = invitationStatus(inv);
  return {
    organizationName: inv.organization.name,
    organizationSlug: inv.organization.slug,
    inviterName: inv.invitedBy?.displayName ?? null,
    email: inv.email,
    role: inv.role,
    status: status === 'pending' ? 'valid' : status,
    expiresAt: inv.expiresAt,
  };
}

/**
 * Accepts an invitation as the signed-in user, whose email must be the invited one
 * (decision 0005). Single use: the invitation is claimed by a conditional update that only
 * matches a pending row, in the same transaction that creates the membership, so two
 * concurrent accepts cannot both succeed. A user who is already a member keeps their role.
 */
export async function acceptInvitation(
  em: Em,
  user: { id: string; email: string },
  token: string,
  ip: string | null,
): Promise<TOrganization> {
  const found = await findByToken(em, token);
  const status = invitationStatus(found);
  if (status !== 'pending') throw new AppError('PRECONDITION_FAILED', UNUSABLE[status]);
  const account = await em.findOne(User, { id: user.id });
  if (!account || account.emailNormalized !== found.emailNormalized) {
    throw new AppError(
      'FORBIDDEN',
      `This invitation was sent to ${found.email}. Sign in with that email address to accept it.`,
    );
  }
  const orgId = found.organization.id;
  try {
    return await em.transactional(
      async (tx) => {
        await lockOrganization(tx, orgId);
        const claimed = await tx.execute<QueryResult>(
          `update "invitations" set "accepted_at" = now(), "accepted_by_id" = ?
            where "id" = ? and "accepted_at" is null and "revoked_at" is null and "expires_at" > now()`,
          [user.id, found.id],
          'run',
        );
        if (claimed.affectedRows !== 1) {
          const current = await tx.findOne(Invitation, { id: found.id }, { refresh: true });
          const latest = current ? invitationStatus(current) : 'revoked';
          throw new AppError('PRECONDITION_FAILED', UNUSABLE[latest === 'pending' ? 'accepted' : latest]);
        }
        let membership = await tx.findOne(
          Membership,
          { organization: orgId, user: user.id },
          { populate: ['organization'] },
        );
        if (!membership) {
          membership = tx.create(Membership, {
            id: newId('mem'),
            organization: orgId,
            user: user.id,
            role: found.role,
          });
        }
        const audit: AuditActor = { type: 'user', id: user.id, label: user.email, ip };
        recordAudit(tx, audit, {
          organizationId: orgId,
          action: 'invitation.accept',
          target: invitationTarget(found),
          before: { status: 'pending' },
          after: { status: 'accepted', userId: user.id, role: membership.role },
        });
        await tx.flush();
        await tx.populate(membership, ['organization']);
        return toOrganizationDto(membership.organization, membership.role);
      },
      { clear: true },
    );
  } catch (error) {
    // Only a concurrent accept by the same user can get here (the invitation claim serialises
    // others); the membership exists, which is what they wanted, but this attempt did not win.
    if (isUniqueViolation(error)) throw new AppError('PRECONDITION_FAILED', UNUSABLE.accepted);
    throw error;
  }
}
