import { p } from '@mikro-orm/core';

/**
 * The columns most tables share, defined once so every entity spells them the same way
 * (a change here changes every table's snapshot alike, and the migration check says so).
 */

/** `created_at` stamped on insert, `updated_at` on insert and every update. */
export function timestamps() {
  return {
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p
      .datetime()
      .onCreate(() => new Date())
      .onUpdate(() => new Date()),
  };
}
