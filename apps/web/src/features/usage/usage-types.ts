import type { AppRouter } from '@keysmith/api/router';
import type { Plan } from '@keysmith/domain';
import type { inferRouterInputs } from '@trpc/server';
import type { RouterOutputs } from '../../lib/trpc';
import type { KeyRecord } from '../api-keys/key-types';

type RouterInputs = inferRouterInputs<AppRouter>;

/** A key's quota windows as the API enforces them (`usage.key`). */
export type KeyUsage = RouterOutputs['usage']['key'];
export type QuotaWindowUsage = KeyUsage['windows'][number];
/** Admitted vs refused requests over time (`usage.keySeries`). */
export type KeySeries = RouterOutputs['usage']['keySeries'];
export type UsageRange = KeySeries['range'];
export type UsagePoint = KeySeries['points'][number];
export type UsageOverview = RouterOutputs['usage']['overview'];

/** One request log row (`log.list`). */
export type RequestLog = RouterOutputs['log']['list']['items'][number];
export type LogListInput = RouterInputs['log']['list'];
export type LogCode = NonNullable<LogListInput['code']>;

/** What a key's usage views read: the key, its organization's plan, and the clock. */
export interface KeyUsageProps {
  orgId: string;
  record: KeyRecord;
  plan: Plan;
  now: number;
}
