import type { AppRouter } from '@keysmith/api/router';
import type { inferRouterInputs } from '@trpc/server';
import type { RouterOutputs } from '../../lib/trpc';

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
