import { authRouter } from './routers/auth/router.js';
import { organizationRouter } from './routers/organization/router.js';
import { createCallerFactory, router } from './trpc.js';

export const appRouter = router({
  auth: authRouter,
  organization: organizationRouter,
});

/** The type the SPA imports; nothing else of the server crosses into the browser bundle. */
export type AppRouter = typeof appRouter;

export const createCaller = createCallerFactory(appRouter);
