import { Session } from '../auth/session.entity.js';
import { SignInAttempt } from '../auth/sign-in-attempt.entity.js';
import { ApiKey } from '../modules/api-key/api-key.entity.js';
import { KeyChange } from '../modules/api-key/key-change.entity.js';
import { AuditEvent } from '../modules/audit/audit.entity.js';
import { Event } from '../modules/event/event.entity.js';
import { NotificationMark, NotificationRead } from '../modules/event/notification-read.entity.js';
import { Invitation } from '../modules/invitation/invitation.entity.js';
import { KeyPolicyRecord } from '../modules/key-policy/key-policy.entity.js';
import { Membership } from '../modules/membership/membership.entity.js';
import { Organization } from '../modules/organization/organization.entity.js';
import { RequestLog } from '../modules/request-log/request-log.entity.js';
import { AuthFailure, KeyIp, SecurityEvent } from '../modules/security/security-event.entity.js';
import { Space, SpaceMembership } from '../modules/space/space.entity.js';
import { SpaceLogo } from '../modules/space/space-logo.entity.js';
import { UsageBucket, VerifyCallCount } from '../modules/usage/usage-bucket.entity.js';
import { User } from '../modules/user/user.entity.js';
import { WebhookDelivery, WebhookEndpoint } from '../modules/webhook/webhook.entity.js';

/** Every entity the ORM knows; migrations are generated from these. */
export const entities = [
  User,
  Session,
  Organization,
  Membership,
  Invitation,
  Space,
  SpaceMembership,
  SpaceLogo,
  AuditEvent,
  ApiKey,
  RequestLog,
  UsageBucket,
  SecurityEvent,
  KeyIp,
  Event,
  NotificationRead,
  NotificationMark,
  WebhookEndpoint,
  WebhookDelivery,
  AuthFailure,
  KeyChange,
  SignInAttempt,
  VerifyCallCount,
  KeyPolicyRecord,
];
