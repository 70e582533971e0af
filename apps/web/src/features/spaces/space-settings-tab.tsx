import { initialsOf } from '@keysmith/domain';
import { useMutation } from '@tanstack/react-query';
import { type ReactNode, useId, useState } from 'react';
import {
  Alert,
  Button,
  buttonClassName,
  ConfirmDialog,
  DetailRow,
  Logo,
  TextField,
  useToast,
} from '../../components';
import { ArchiveIcon, TrashIcon } from '../../components/icons';
import { describeError } from '../../lib/api-errors';
import { navigate } from '../../lib/router';
import { queryClient, trpc } from '../../lib/trpc';
import { useForm } from '../../lib/use-form';
import { collectErrors } from '../../lib/validation';
import { KeyPolicyCard } from '../key-policy/key-policy-card';
import { useCurrentOrganization } from '../organization/organization-context';
import { organizationPath } from '../organization/organization-preference';
import { SaveActions, SettingsCard } from '../settings/settings-card';
import { ColorPicker } from './color-picker';
import { ScopeCatalogEditor } from './scope-catalog-editor';
import { refreshSpaceLists, storeSpace } from './space-cache';
import { PALETTE_NAMES, paletteColor, validateLogoUrl, validateSpaceName } from './space-form';
import { SpaceLogo } from './space-logo';
import type { Space, SpaceAbilities } from './space-permissions';

/** A space's settings: name and logo, scope catalog, key policy, and (for org owners and admins) deletion. */
export function SpaceSettingsTab({
  space,
  abilities,
}: {
  space: Space;
  abilities: SpaceAbilities;
}): ReactNode {
  const { organization } = useCurrentOrganization();
  const readOnlyNote = abilities.update
    ? null
    : space.archived
      ? abilities.unarchive
        ? 'This space is archived: unarchive it to change its settings.'
        : 'This space is archived, so its settings cannot change.'
      : 'Only space admins and organization owners or admins can change these settings.';
  return (
    <div className="stack stack--xl">
      {readOnlyNote === null ? (
        <SpaceGeneralCard
          key={`${space.name}\n${space.logoColor}\n${space.logoUrl ?? ''}`}
          space={space}
          orgId={organization.id}
        />
      ) : (
        <SpaceGeneralFacts space={space} note={readOnlyNote} />
      )}
      <ScopeCatalogEditor
        key={space.scopeCatalog.join(' ')}
        space={space}
        orgId={organization.id}
        readOnlyNote={readOnlyNote}
      />
      <KeyPolicyCard
        orgId={organization.id}
        orgSlug={organization.slug}
        spaceId={space.id}
        editable={readOnlyNote === null}
        {...(readOnlyNote === null ? {} : { readOnlyNote })}
      />
      {abilities.delete ? <SpaceDangerZone space={space} /> : null}
    </div>
  );
}

type GeneralField = 'name' | 'logoColor' | 'logoUrl';

const validate = (values: Record<GeneralField, string>) =>
  collectErrors<GeneralField>({
    name: validateSpaceName(values.name),
    logoColor: null,
    logoUrl: validateLogoUrl(values.logoUrl),
  });

/** What readers of the space see: its name, slug and logo, as text. */
function SpaceGeneralFacts({ space, note }: { space: Space; note: string }): ReactNode {
  const color = paletteColor(space.logoColor);
  return (
    <SettingsCard
      title="General"
      description="How the space appears in the dashboard, in key lists and to your team."
      footerNote={note}
      flush
    >
      <dl className="detail-list">
        <DetailRow label="Name">{space.name}</DetailRow>
        <div className="detail-list__row">
          <dt>Slug</dt>
          <dd className="mono">{space.slug}</dd>
        </div>
        <DetailRow label="Logo">
          <span className="inline-flex">
            <SpaceLogo space={space} size="sm" />
            {space.logoUrl ? (
              <span className="mono text-muted">{space.logoUrl}</span>
            ) : (
              <span className="text-muted">
                {color ? PALETTE_NAMES[color] : space.logoColor} with initials
              </span>
            )}
          </span>
        </DetailRow>
      </dl>
    </SettingsCard>
  );
}

function SpaceGeneralCard({ space, orgId }: { space: Space; orgId: string }): ReactNode {
  const toast = useToast();
  const update = useMutation(trpc.space.update.mutationOptions());
  const form = useForm<GeneralField>(
    { name: space.name, logoColor: space.logoColor, logoUrl: space.logoUrl ?? '' },
    validate,
  );
  const name = form.values.name.trim();
  const logoUrl = form.values.logoUrl.trim();
  const changes = {
    ...(name !== space.name ? { name } : {}),
    ...(form.values.logoColor !== space.logoColor ? { logoColor: form.values.logoColor } : {}),
    ...(logoUrl !== (space.logoUrl ?? '') ? { logoUrl: logoUrl || null } : {}),
  };
  const dirty = Object.keys(changes).length > 0;
  const previewUrl = logoUrl && validateLogoUrl(logoUrl) === null ? logoUrl : null;

  const onSubmit = form.handleSubmit(async () => {
    const saved = await update.mutateAsync({ orgId, spaceId: space.id, ...changes });
    await storeSpace(orgId, saved);
    toast({ title: 'Space updated' });
  });

  return (
    <form onSubmit={onSubmit} noValidate aria-label="Space settings">
      <SettingsCard
        title="General"
        description="How the space appears in the dashboard, in key lists and to your team."
        footerNote="Changes show everywhere at once."
        footerActions={
          <SaveActions
            dirty={dirty}
            pending={update.isPending}
            onCancel={() => {
              form.setValue('name', space.name);
              form.setValue('logoColor', space.logoColor);
              form.setValue('logoUrl', space.logoUrl ?? '');
            }}
          />
        }
      >
        {form.formError ? <Alert tone="danger">{form.formError}</Alert> : null}
        <div className="logo-editor">
          <div className="logo-editor__preview">
            <Logo
              name={name || space.name}
              initials={initialsOf(name || space.name)}
              color={form.values.logoColor}
              src={previewUrl}
              size="xl"
            />
            <span className="logo-editor__caption">Preview</span>
          </div>
          <div className="logo-editor__fields">
            <TextField {...form.field('name')} label="Space name" maxLength={64} autoComplete="off" />
            <ColorPicker
              name="logoColor"
              value={form.values.logoColor}
              onChange={(color) => form.setValue('logoColor', color)}
            />
            <TextField
              {...form.field('logoUrl')}
              label="Logo image URL"
              optional
              type="url"
              inputMode="url"
              placeholder="https://cdn.example.com/logo.png"
              autoComplete="off"
              spellCheck={false}
              hint="A square image over https, or upload one. Without one, the colour and initials are shown."
            />
            <LogoUpload
              orgId={orgId}
              spaceId={space.id}
              onUploaded={(url) => form.setValue('logoUrl', url)}
            />
          </div>
        </div>
      </SettingsCard>
    </form>
  );
}

/**
 * Deleting a space: an empty one is deleted; one that has ever had keys is archived instead so
 * their history survives. The confirmation says which will happen, the toast which did.
 */
function SpaceDangerZone({ space }: { space: Space }): ReactNode {
  const { organization } = useCurrentOrganization();
  const toast = useToast();
  const [confirming, setConfirming] = useState(false);
  const remove = useMutation(trpc.space.delete.mutationOptions());
  const willArchive = space.keyCount > 0;
  const keys = `${space.keyCount} ${space.keyCount === 1 ? 'key' : 'keys'}`;

  return (
    <SettingsCard title="Danger zone" description="Remove this space from the organization." tone="danger">
      <div className="danger-row">
        <div className="danger-row__text">
          <p className="danger-row__title">{willArchive ? 'Archive space' : 'Delete space'}</p>
          <p className="danger-row__description">
            {willArchive
              ? `This space has ${keys}, so it cannot be deleted: it is archived instead. Its keys keep their history and request logs; settings and members freeze until it is unarchived.`
              : 'This space has never had a key, so it is deleted for good, with its scope catalog and member roles.'}
          </p>
        </div>
        <Button
          variant="danger"
          icon={willArchive ? <ArchiveIcon size={16} /> : <TrashIcon size={16} />}
          onClick={() => setConfirming(true)}
        >
          {willArchive ? 'Archive space' : 'Delete space'}
        </Button>
      </div>
      <ConfirmDialog
        open={confirming}
        onClose={() => setConfirming(false)}
        title={willArchive ? `Archive ${space.name}?` : `Delete ${space.name}?`}
        description={
          willArchive
            ? `A space with keys is archived rather than deleted. Its ${keys} ${space.keyCount === 1 ? 'keeps its' : 'keep their'} history; nobody can change its settings or members until an owner or admin unarchives it.`
            : 'The space has no keys, so it is deleted permanently together with its scope catalog and member roles. This cannot be undone.'
        }
        confirmLabel={willArchive ? 'Archive space' : 'Delete space'}
        {...(willArchive ? {} : { confirmText: space.slug })}
        onConfirm={async () => {
          const result = await remove.mutateAsync({ orgId: organization.id, spaceId: space.id });
          await refreshSpaceLists(organization.id);
          if (result.outcome === 'deleted') {
            toast({ title: `${space.name} was deleted` });
            navigate(organizationPath(organization.slug, 'spaces'), { replace: true });
          } else {
            await queryClient.invalidateQueries(
              trpc.space.byId.queryFilter({ orgId: organization.id, spaceId: space.id }),
            );
            toast({
              title: `${space.name} was archived, not deleted`,
              description: `It has ${result.keyCount} ${result.keyCount === 1 ? 'key' : 'keys'}, whose history is kept.`,
            });
          }
        }}
      />
    </SettingsCard>
  );
}

/** Reads a file as base64 (without the `data:` prefix) for a JSON upload. */
function readBase64(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result).replace(/^data:[^,]*,/, ''));
    reader.onerror = () => reject(reader.error ?? new Error('Could not read the file'));
    reader.readAsDataURL(file);
  });
}

/**
 * Uploads a PNG, JPEG or SVG (≤ 256 kB) as the space's logo. The server checks the type by
 * content and an SVG against an allowlist; its message names what it refused.
 */
function LogoUpload({
  orgId,
  spaceId,
  onUploaded,
}: {
  orgId: string;
  spaceId: string;
  onUploaded: (url: string) => void;
}): ReactNode {
  const toast = useToast();
  const upload = useMutation(trpc.space.uploadLogo.mutationOptions());
  const inputId = useId();
  const choose = async (file: File | undefined) => {
    if (!file) return;
    if (file.size > 256 * 1024) {
      toast({
        title: 'Could not upload the logo',
        description: 'The image is larger than 256 kB.',
        tone: 'danger',
      });
      return;
    }
    try {
      const { logoUrl } = await upload.mutateAsync({ orgId, spaceId, contentBase64: await readBase64(file) });
      onUploaded(logoUrl);
      await queryClient.invalidateQueries(trpc.space.pathFilter());
      await queryClient.invalidateQueries(trpc.key.pathFilter());
      toast({ title: 'Logo uploaded', description: 'It shows everywhere the space does.' });
    } catch (error) {
      toast({
        title: 'Could not upload the logo',
        description: describeError(error).message,
        tone: 'danger',
      });
    }
  };
  return (
    <div className="logo-upload">
      <label htmlFor={inputId} className={buttonClassName({ variant: 'secondary', size: 'sm' })}>
        {upload.isPending ? 'Uploading…' : 'Upload image'}
      </label>
      <input
        id={inputId}
        type="file"
        accept="image/png,image/jpeg,image/svg+xml"
        className="sr-only"
        aria-label="Upload a logo image"
        disabled={upload.isPending}
        onChange={(event) => {
          void choose(event.target.files?.[0]);
          event.target.value = '';
        }}
      />
      <span className="logo-upload__hint">PNG, JPEG or SVG, up to 256 kB</span>
    </div>
  );
}
