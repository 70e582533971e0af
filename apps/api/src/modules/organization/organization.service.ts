import { slugify } from '@keysmith/domain';
import { newId } from '../../db/ids.js';
import type { Em } from '../../db/orm.js';
import { AppError, isUniqueViolation } from '../../errors.js';
import { Membership, type TOrgRole } from '../membership/membership.entity.js';
import { Organization } from './organization.entity.js';
import type { TCreateOrganization, TOrganization } from './organization.schemas.js';

export function toOrganizationDto(org: Organization, role: TOrgRole): TOrganization {
  return {
    id: org.id,
    name: org.name,
    slug: org.slug,
    plan: org.plan,
    keyPrefix: org.keyPrefix,
    role,
    createdAt: org.createdAt,
  };
}

const SLUG_TAKEN = 'This slug is already taken';

/**
 * Creates an organization with the caller as its owner, in one transaction. A slug derived
 * from the name gets a short suffix when taken; a slug the user typed is never altered.
 */
export async function createOrganization(
  em: Em,
  userId: string,
  input: TCreateOrganization,
): Promise<TOrganization> {
  const chosen = input.slug;
  const base = chosen ?? (slugify(input.name) || 'org');
  for (let attempt = 0; attempt < 5; attempt++) {
    const slug = attempt === 0 ? base : `${base.slice(0, 40)}-${newId('org').slice(-6).toLowerCase()}`;
    try {
      return await em.transactional(async (tx) => {
        const org = tx.create(Organization, { id: newId('org'), name: input.name, slug });
        tx.create(Membership, { id: newId('mem'), organization: org, user: userId, role: 'owner' });
        await tx.flush();
        return toOrganizationDto(org, 'owner');
      });
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      if (chosen) throw AppError.field('CONFLICT', 'slug', SLUG_TAKEN);
    }
  }
  throw AppError.field('CONFLICT', 'slug', SLUG_TAKEN);
}

/** The organizations the user belongs to, with their role in each, oldest first. */
export async function listMyOrganizations(em: Em, userId: string): Promise<TOrganization[]> {
  const memberships = await em.find(
    Membership,
    { user: userId },
    { populate: ['organization'], orderBy: { createdAt: 'asc' } },
  );
  return memberships.map((m) => toOrganizationDto(m.organization, m.role));
}
