import { describe, expect, it } from 'vitest';
import { LogCapture } from '../test/harness.js';
import { createLogger, requestLoggerFactory } from './logger.js';

/**
 * The per-request logger Fastify uses (made on first use, issue 10): what it writes must be
 * exactly what an eager pino child writes (bindings, redaction, the route's level).
 */
describe('requestLoggerFactory', () => {
  it('writes with the request bindings and redaction, at the route level or above only', () => {
    const capture = new LogCapture();
    const root = createLogger({ LOG_LEVEL: 'info' }, capture);
    const quiet = requestLoggerFactory(root, { reqId: 'req_1' }, { level: 'warn' });
    quiet.info('not written');
    quiet.warn({ headers: { authorization: 'Bearer ks_live_secret' } }, 'written');
    expect(quiet.level).toBe('warn');
    expect(quiet.isLevelEnabled('info')).toBe(false);
    expect(capture.lines).toHaveLength(1);
    const line = JSON.parse(capture.lines[0] as string) as Record<string, unknown>;
    expect(line).toMatchObject({ reqId: 'req_1', msg: 'written', headers: { authorization: '[redacted]' } });

    const inherit = requestLoggerFactory(root, { reqId: 'req_2' }, {});
    inherit.debug('not written');
    inherit.info('written too');
    inherit.child({ part: 'x' }).error('from a grandchild');
    expect(capture.lines.slice(1).map((l) => JSON.parse(l) as Record<string, unknown>)).toMatchObject([
      { reqId: 'req_2', msg: 'written too', level: 30 },
      { reqId: 'req_2', part: 'x', msg: 'from a grandchild', level: 50 },
    ]);
  });
});
