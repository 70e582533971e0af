import { router } from '../../trpc.js';
import { getProcedure } from './get.js';
import { previewProcedure } from './preview.js';
import { updateOrganizationProcedure } from './update-organization.js';
import { updateSpaceProcedure } from './update-space.js';

export const keyPolicyRouter = router({
  get: getProcedure,
  updateOrganization: updateOrganizationProcedure,
  updateSpace: updateSpaceProcedure,
  preview: previewProcedure,
});
