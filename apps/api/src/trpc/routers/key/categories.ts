import { ZKeyCategoriesSchema } from '../../../modules/api-key/api-key.schemas.js';
import { listKeyCategories } from '../../../modules/api-key/list-keys.js';
import { orgProcedure } from '../../trpc.js';

/** The categories (built-in and custom) of the keys the caller may read: the table's filter. */
export const categoriesProcedure = orgProcedure
  .output(ZKeyCategoriesSchema)
  .query(({ ctx }) => listKeyCategories(ctx.service));
