/**
 * Summarises a V8 `.cpuprofile` (written by `node --cpu-prof`): self time per function and
 * per area (our code, Fastify, pino, zod, PGlite, Node's HTTP stack, GC, idle), so a missed
 * target can be traced to where the time goes.
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileEntry {
  name: string;
  where: string;
  area: string;
  selfMs: number;
  share: number;
}

export interface ProfileSummary {
  totalMs: number;
  /** Share of the profile the process was busy (not idle). */
  busyShare: number;
  top: ProfileEntry[];
  areas: { area: string; selfMs: number; share: number }[];
}

/** Which part of the stack a frame belongs to, from its script URL. */
export function areaOf(functionName: string, url: string): string {
  if (functionName === '(idle)') return 'idle';
  if (functionName === '(garbage collector)') return 'GC';
  if (functionName === '(program)') return 'V8/native (program)';
  if (url === '') return 'native / builtins';
  if (url.startsWith('wasm://')) return 'database (PGlite/ORM)';
  if (url.startsWith('node:')) {
    if (/node:(_http|http|net|stream|internal\/(http|streams|net|stream_base|js_stream))/.test(url))
      return 'node http/net/streams';
    return 'node core (other)';
  }
  if (url.includes('/packages/domain/')) return 'domain package';
  if (url.includes('/apps/api/')) {
    if (url.includes('/verify/')) return 'api: verify pipeline';
    if (url.includes('/rest/')) return 'api: /v1 routes';
    return 'api: other';
  }
  const pkg = /node_modules\/(?:\.pnpm\/[^/]+\/node_modules\/)?((?:@[^/]+\/)?[^/]+)/.exec(url)?.[1];
  if (pkg) {
    if (
      pkg.startsWith('@electric-sql/pglite') ||
      pkg.includes('mikro-orm') ||
      pkg === 'kysely' ||
      pkg === 'knex'
    )
      return 'database (PGlite/ORM)';
    if (
      pkg === 'fastify' ||
      pkg.startsWith('@fastify/') ||
      pkg === 'find-my-way' ||
      pkg === 'light-my-request' ||
      pkg === 'avvio' ||
      pkg === 'fast-json-stringify' ||
      pkg === 'secure-json-parse' ||
      pkg === 'fast-querystring' ||
      pkg === 'toad-cache' ||
      pkg === 'content-type' ||
      pkg === 'process-warning' ||
      pkg === 'proxy-addr' ||
      pkg === 'forwarded' ||
      pkg === 'ipaddr.js' ||
      pkg === 'rfdc' ||
      pkg === 'fastq'
    )
      return 'fastify';
    if (
      pkg === 'pino' ||
      pkg === 'pino-std-serializers' ||
      pkg === 'fast-redact' ||
      pkg === '@pinojs/redact' ||
      pkg === 'sonic-boom' ||
      pkg === 'thread-stream' ||
      pkg === 'quick-format-unescaped' ||
      pkg === 'safe-stable-stringify'
    )
      return 'pino (logging)';
    if (pkg === 'zod') return 'zod';
    if (
      pkg === 'ioredis' ||
      pkg === 'redis-parser' ||
      pkg === 'denque' ||
      pkg === 'cluster-key-slot' ||
      pkg === 'standard-as-callback'
    )
      return 'ioredis';
    return `other: ${pkg}`;
  }
  return 'other';
}

function shortUrl(url: string): string {
  const i = url.indexOf('/node_modules/');
  if (i >= 0) {
    const rest = url.slice(i + '/node_modules/'.length);
    const pnpm = /^\.pnpm\/[^/]+\/node_modules\/(.*)$/.exec(rest);
    return pnpm?.[1] ?? rest;
  }
  const m = /\/(apps|packages)\/(.*)$/.exec(url);
  if (m) return `${m[1]}/${m[2]}`;
  return url.replace(/^file:\/\//, '');
}

export function summariseProfile(file: string, topN = 20): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map<number, ProfileNode>();
  for (const node of profile.nodes) byId.set(node.id, node);
  const selfUs = new Map<number, number>();
  for (let i = 0; i < profile.samples.length; i++) {
    const id = profile.samples[i] as number;
    // V8's delta i is the time since the previous sample; attribute it to sample i.
    const delta = profile.timeDeltas[i + 1] ?? profile.timeDeltas[i] ?? 0;
    selfUs.set(id, (selfUs.get(id) ?? 0) + Math.max(0, delta));
  }
  let total = 0;
  let idle = 0;
  const functions = new Map<string, ProfileEntry>();
  const areas = new Map<string, number>();
  for (const [id, us] of selfUs) {
    const node = byId.get(id);
    if (!node) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    const name = functionName || '(anonymous)';
    const area = areaOf(functionName, url);
    total += us;
    if (area === 'idle') idle += us;
    areas.set(area, (areas.get(area) ?? 0) + us);
    const where = url ? `${shortUrl(url)}:${lineNumber + 1}` : '';
    const key = `${name}@${where}`;
    const entry = functions.get(key) ?? { name, where, area, selfMs: 0, share: 0 };
    entry.selfMs += us / 1000;
    functions.set(key, entry);
  }
  const busy = total - idle;
  const top = [...functions.values()]
    .filter((e) => e.area !== 'idle')
    .sort((a, b) => b.selfMs - a.selfMs)
    .slice(0, topN)
    .map((e) => ({ ...e, share: (e.selfMs * 1000) / busy }));
  return {
    totalMs: total / 1000,
    busyShare: busy / total,
    top,
    areas: [...areas.entries()]
      .filter(([area]) => area !== 'idle')
      .map(([area, us]) => ({ area, selfMs: us / 1000, share: us / busy }))
      .sort((a, b) => b.selfMs - a.selfMs),
  };
}

export function formatProfile(summary: ProfileSummary): string {
  const lines = [
    `CPU profile: ${(summary.totalMs / 1000).toFixed(1)} s sampled, busy ${(summary.busyShare * 100).toFixed(0)}% (shares below are of busy time)`,
    '',
    '| area | self time | share |',
    '|---|---|---|',
    ...summary.areas.map((a) => `| ${a.area} | ${a.selfMs.toFixed(0)} ms | ${(a.share * 100).toFixed(1)}% |`),
    '',
    '| function (self time) | where | area | share |',
    '|---|---|---|---|',
    ...summary.top.map(
      (e) => `| \`${e.name}\` | ${e.where || '–'} | ${e.area} | ${(e.share * 100).toFixed(1)}% |`,
    ),
  ];
  return lines.join('\n');
}
