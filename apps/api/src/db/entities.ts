import { Session } from '../auth/session.entity.js';
import { AuditEvent } from '../modules/audit/audit.entity.js';
import { Invitation } from '../modules/invitation/invitation.entity.js';
import { Membership } from '../modules/membership/membership.entity.js';
import { Organization } from '../modules/organization/organization.entity.js';
import { Space, SpaceMembership } from '../modules/space/space.entity.js';
import { User } from '../modules/user/user.entity.js';

/** Every entity the ORM knows; migrations are generated from these. */
export const entities = [User, Session, Organization, Membership, Invitation, Space, SpaceMembership, AuditEvent];
