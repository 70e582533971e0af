import { router } from '../../trpc.js';
import { keyProcedure } from './key.js';
import { keySeriesProcedure } from './key-series.js';
import { overviewProcedure } from './overview.js';

export const usageRouter = router({
  key: keyProcedure,
  keySeries: keySeriesProcedure,
  overview: overviewProcedure,
});
