import { auditRouter } from './routers/audit/router.js';
import { authRouter } from './routers/auth/router.js';
import { invitationRouter } from './routers/invitation/router.js';
import { keyRouter } from './routers/key/router.js';
import { keyPolicyRouter } from './routers/key-policy/router.js';
import { logRouter } from './routers/log/router.js';
import { memberRouter } from './routers/member/router.js';
import { notificationRouter } from './routers/notification/router.js';
import { organizationRouter } from './routers/organization/router.js';
import { securityRouter } from './routers/security/router.js';
import { spaceRouter } from './routers/space/router.js';
import { usageRouter } from './routers/usage/router.js';
import { webhookRouter } from './routers/webhook/router.js';
import { createCallerFactory, router } from './trpc.js';

export const appRouter = router({
  auth: authRouter,
  organization: organizationRouter,
  member: memberRouter,
  invitation: invitationRouter,
  space: spaceRouter,
  key: keyRouter,
  keyPolicy: keyPolicyRouter,
  usage: usageRouter,
  log: logRouter,
  audit: auditRouter,
  security: securityRouter,
  webhook: webhookRouter,
  notification: notificationRouter,
});

/** The type the SPA imports; nothing else of the server crosses into the browser bundle. */
export type AppRouter = typeof appRouter;

export const createCaller = createCallerFactory(appRouter);
