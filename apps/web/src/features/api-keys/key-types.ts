import type { AppRouter } from '@keysmith/api/router';
import type { inferRouterInputs } from '@trpc/server';
import type { RouterOutputs } from '../../lib/trpc';

type RouterInputs = inferRouterInputs<AppRouter>;

/** A key as the admin API returns it: never a secret, only the redacted preview. */
export type KeyRecord = RouterOutputs['key']['byId'];
export type KeyStatus = KeyRecord['status'];
export type KeyEnvironment = KeyRecord['environment'];
export type KeyPage = RouterOutputs['key']['list'];
export type KeyListInput = RouterInputs['key']['list'];
export type KeyCreateInput = RouterInputs['key']['create'];
export type KeyPatch = RouterInputs['key']['update']['patch'];
export type KeySort = NonNullable<KeyListInput['sort']>;
export type SortOrder = NonNullable<KeyListInput['order']>;

/** A space as the space picker needs it (from `space.list`). */
export type SpaceSummary = RouterOutputs['space']['list'][number];
export type SpaceRole = NonNullable<SpaceSummary['myRole']>;
