import { AVATAR_PALETTE, initialsOf, slugify } from '@keysmith/domain';
import { useMutation } from '@tanstack/react-query';
import { type ReactNode, useId, useState } from 'react';
import { Alert, Button, Dialog, Logo, TextField } from '../../components';
import { queryClient, type RouterOutputs, trpc } from '../../lib/trpc';
import { useForm } from '../../lib/use-form';
import { collectErrors } from '../../lib/validation';
import { ColorPicker } from './color-picker';
import { validateOptionalSlug, validateSpaceName } from './space-form';

type SpaceField = 'name' | 'slug' | 'logoColor';
type CreatedSpace = RouterOutputs['space']['create'];

const validate = (values: Record<SpaceField, string>) =>
  collectErrors<SpaceField>({
    name: validateSpaceName(values.name),
    slug: validateOptionalSlug(values.slug),
    logoColor: null,
  });

export interface CreateSpaceDialogProps {
  open: boolean;
  onClose: () => void;
  orgId: string;
  onCreated: (space: CreatedSpace) => void;
}

/** "New space": name, optional slug (derived from the name), logo colour from the palette. */
export function CreateSpaceDialog(props: CreateSpaceDialogProps): ReactNode {
  return props.open ? <CreateSpaceForm {...props} /> : null;
}

function CreateSpaceForm({ onClose, orgId, onCreated }: CreateSpaceDialogProps): ReactNode {
  const formId = useId();
  const create = useMutation(trpc.space.create.mutationOptions());
  const [initialColor] = useState(
    () => AVATAR_PALETTE[Math.floor(Math.random() * AVATAR_PALETTE.length)] ?? AVATAR_PALETTE[0],
  );
  const form = useForm<SpaceField>({ name: '', slug: '', logoColor: initialColor }, validate);
  const name = form.values.name.trim();
  const derivedSlug = slugify(name);

  const onSubmit = form.handleSubmit(async (values) => {
    const slug = values.slug.trim();
    const space = await create.mutateAsync({
      orgId,
      name: values.name.trim(),
      logoColor: values.logoColor,
      ...(slug ? { slug } : {}),
    });
    await queryClient.invalidateQueries(trpc.space.list.queryFilter({ orgId }));
    onCreated(space);
  });

  return (
    <Dialog
      open
      onClose={onClose}
      title="Create a space"
      description="A space holds the keys of one API, with its own scope catalog and members."
      dismissible={!create.isPending}
      footer={
        <>
          <Button onClick={onClose} disabled={create.isPending}>
            Cancel
          </Button>
          <Button type="submit" form={formId} variant="primary" loading={create.isPending}>
            Create space
          </Button>
        </>
      }
    >
      <form id={formId} className="stack stack--lg" onSubmit={onSubmit} noValidate aria-label="Create space">
        {form.formError ? <Alert tone="danger">{form.formError}</Alert> : null}
        <div className="space-preview" aria-hidden="true">
          <Logo
            name={name || 'New space'}
            initials={initialsOf(name || 'New space')}
            color={form.values.logoColor}
            size="lg"
          />
          <div className="space-preview__text">
            <span className="space-preview__name">{name || 'New space'}</span>
            <span className="space-preview__slug mono">
              {form.values.slug.trim() || derivedSlug || 'space-slug'}
            </span>
          </div>
        </div>
        <TextField
          {...form.field('name')}
          label="Space name"
          placeholder="Payments API"
          maxLength={64}
          autoComplete="off"
        />
        <TextField
          {...form.field('slug')}
          onChange={(event) => form.setValue('slug', event.target.value.toLowerCase())}
          label="Slug"
          optional
          placeholder={derivedSlug || 'payments-api'}
          maxLength={48}
          autoComplete="off"
          spellCheck={false}
          hint="Unique in the organization. Left empty, it is made from the name."
        />
        <ColorPicker
          name="logoColor"
          value={form.values.logoColor}
          onChange={(color) => form.setValue('logoColor', color)}
        />
      </form>
    </Dialog>
  );
}
