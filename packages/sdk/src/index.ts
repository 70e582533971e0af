/**
 * @keysmith/sdk: the typed client of Keysmith's `/v1` API and the verify middleware an API
 * provider puts in front of its routes (SPEC §9). This entry point has the client, the
 * errors, the generated wire types and `withKeysmith` for fetch handlers; the framework
 * middleware live in `@keysmith/sdk/fastify`, `@keysmith/sdk/express` and `@keysmith/sdk/hono`.
 * Runtime dependencies: `@keysmith/domain` only; runtime APIs: `fetch` and Web Crypto only.
 */
export {
  type CallOptions,
  CLIENT_OPERATIONS,
  DEFAULT_TIMEOUT_MS,
  Keysmith,
  type KeysmithOptions,
} from './client.js';
export { type KeysmithClientErrorCode, KeysmithError, type KeysmithErrorInit } from './errors.js';
export type * from './generated/openapi.js';
export { OPERATIONS } from './generated/openapi.js';
export { DEFAULT_FAIL_OPEN_MAX_AGE_SECONDS } from './middleware/fail-open-cache.js';
export { type KeysmithRequest, type WithKeysmithOptions, withKeysmith } from './middleware/fetch.js';
export {
  clientIpFromForwarded,
  type FailOpenOptions,
  type GuardDecision,
  type GuardRequest,
  KeysmithGuard,
  type KeysmithGuardOptions,
  type KeysmithRefusalBody,
  type KeysmithRouteOptions,
  type KeysmithVerification,
  type PresentedKey,
  presentedKey,
  rateLimitHeaders,
} from './middleware/guard.js';
export { PageRequest } from './pagination.js';
