/**
 * @keysmith/domain: the pure rules shared by the API, the admin SPA and the SDK (key format,
 * scopes, quotas, rate limits, key policies, key state, error table, IP allowlists, name rules). No I/O and no clock:
 * every function that depends on time takes `now` (ms since the Unix epoch). Runs unchanged
 * in Node ≥ 22 and in browsers.
 */
export * from './errors.js';
export * from './ip/ip.js';
export * from './key-format/api-key.js';
export * from './key-format/base62.js';
export * from './key-format/crc32.js';
export * from './key-policy/key-policy.js';
export * from './key-state/key-state.js';
export * from './names.js';
export * from './quota/bucketed-counter.js';
export * from './quota/rolling-window.js';
export * from './rate-limit/plans.js';
export * from './rate-limit/sliding-window-limiter.js';
export * from './scopes/scopes.js';
export * from './text.js';
