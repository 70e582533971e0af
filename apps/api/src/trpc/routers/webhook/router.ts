import { router } from '../../trpc.js';
import { createProcedure } from './create.js';
import { deleteProcedure } from './delete.js';
import { deliveriesProcedure } from './deliveries.js';
import { listProcedure } from './list.js';
import { redeliverProcedure } from './redeliver.js';
import { rotateSecretProcedure } from './rotate-secret.js';
import { sendTestProcedure } from './send-test.js';
import { updateProcedure } from './update.js';

export const webhookRouter = router({
  list: listProcedure,
  create: createProcedure,
  update: updateProcedure,
  rotateSecret: rotateSecretProcedure,
  delete: deleteProcedure,
  deliveries: deliveriesProcedure,
  redeliver: redeliverProcedure,
  sendTest: sendTestProcedure,
});
