import { type FilterQuery, QueryOrder } from '@mikro-orm/core';
import { readableSpaces } from '../../auth/principal.js';
import type { ServiceContext } from '../../auth/service-context.js';
import { pgTextArray } from '../../db/sql.js';
import { effectivePolicy, effectivePolicyFor, loadPolicyBook } from '../key-policy/key-policy.service.js';
import { ApiKey } from './api-key.entity.js';
import type { TApiKeyDto, TKeyCategories, TListKeys } from './api-key.schemas.js';
import { loadVisibleKey } from './key-access.js';
import { ownerKeyNameOf, ownerKeyNames, toKeyDto, usedKeyIds, windowUsage } from './key-dto.js';
import { keyStateFilter, notRevokedFilter } from './key-state.js';

/** One page of the tenant's keys the principal may see, newest first unless asked otherwise. */
export async function listKeys(
  ctx: ServiceContext,
  input: TListKeys,
): Promise<{ data: TApiKeyDto[]; page: number; perPage: number; total: number }> {
  const now = ctx.now;
  const conditions: FilterQuery<ApiKey>[] = [{ organization: ctx.organizationId }];
  const spaces = readableSpaces(ctx.principal);
  if (spaces !== 'all') conditions.push({ space: { $in: spaces } });
  if (input.spaceId) conditions.push({ space: input.spaceId });
  if (input.category) conditions.push({ category: input.category });
  if (input.environment) conditions.push({ environment: input.environment });
  if (input.search) {
    const escaped = input.search.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`);
    conditions.push({ nameNormalized: { $like: `%${escaped}%` } });
  }
  if (input.status) conditions.push(keyStateFilter(input.status, now));
  if (input.expiresWithinDays !== undefined) {
    const until = new Date(now.getTime() + input.expiresWithinDays * 86_400_000);
    conditions.push(notRevokedFilter(now), { expiresAt: { $gt: now, $lte: until } });
  }
  const asc = input.order === 'asc';
  const direction = asc ? QueryOrder.ASC : QueryOrder.DESC;
  // Never-used keys sort after used ones when newest-first, before them when oldest-first.
  const orderBy =
    input.sort === 'lastUsed'
      ? { lastUsedAt: asc ? QueryOrder.ASC_NULLS_FIRST : QueryOrder.DESC_NULLS_LAST, id: direction }
      : { createdAt: direction, id: direction };
  const [rows, total] = await ctx.em.findAndCount(
    ApiKey,
    { $and: conditions },
    {
      orderBy,
      limit: input.perPage,
      offset: (input.page - 1) * input.perPage,
      populate: ['space', 'ownerUser'],
    },
  );
  const used = await usedKeyIds(
    ctx.em,
    rows.filter((k) => !k.lastUsedAt).map((k) => k.id),
  );
  const usage = await windowUsage(
    ctx.em,
    rows.map((k) => k.id),
    now,
  );
  const policies = await loadPolicyBook(ctx.em, ctx.organizationId);
  const owners = await ownerKeyNames(ctx.em, ctx.organizationId, rows);
  return {
    data: rows.map((k) =>
      toKeyDto(
        k,
        k.lastUsedAt != null || used.has(k.id),
        now,
        usage.get(k.id),
        effectivePolicy(policies, k.space.id),
        ownerKeyNameOf(owners, k),
      ),
    ),
    page: input.page,
    perPage: input.perPage,
    total,
  };
}

/**
 * The categories used by the keys the principal may read (built-in and custom), sorted, so
 * the keys table can offer every one of them as a filter.
 */
export async function listKeyCategories(ctx: ServiceContext): Promise<TKeyCategories> {
  const spaces = readableSpaces(ctx.principal);
  const inSpaces = spaces === 'all' ? '' : ' and space_id = any(?::text[])';
  const rows: { category: string }[] = await ctx.em
    .getConnection()
    .execute(
      `select distinct category from api_keys where organization_id = ?${inSpaces} order by category limit 500`,
      spaces === 'all' ? [ctx.organizationId] : [ctx.organizationId, pgTextArray(spaces)],
    );
  return { categories: rows.map((row) => row.category) };
}

/** One key the principal may see, as the admin sees it (usage, policy standing, creator's name). */
export async function getKey(ctx: ServiceContext, keyId: string): Promise<TApiKeyDto> {
  const key = await loadVisibleKey(ctx, keyId);
  const now = ctx.now;
  const used = key.lastUsedAt != null || (await usedKeyIds(ctx.em, [key.id])).has(key.id);
  const usage = await windowUsage(ctx.em, [key.id], now);
  const policy = await effectivePolicyFor(ctx.em, ctx.organizationId, key.space.id);
  const owners = await ownerKeyNames(ctx.em, ctx.organizationId, [key]);
  return toKeyDto(key, used, now, usage.get(key.id), policy, ownerKeyNameOf(owners, key));
}
