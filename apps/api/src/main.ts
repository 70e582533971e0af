import { createApp } from './app.js';
import { EnvError, loadEnv } from './env.js';

/** `pnpm start`: serve the API and the SPA until SIGINT/SIGTERM, then drain and exit. */
try {
  const env = loadEnv();
  const app = await createApp(env);
  const address = await app.server.listen({ port: env.PORT, host: env.HOST });
  const where = env.DATABASE_URL ? 'PostgreSQL (DATABASE_URL)' : `embedded PGlite in ${env.DATA_DIR}/pglite`;
  app.services.log.info(`Keysmith is listening on ${address} (admin: ${env.PUBLIC_URL}); database: ${where}`);
  const shutdown = async (signal: string) => {
    app.services.log.info({ signal }, 'shutting down');
    await app.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
} catch (error) {
  if (error instanceof EnvError) {
    console.error(error.message);
    process.exit(2);
  }
  throw error;
}
