import { avatarColorFor, initialsOf } from '@keysmith/domain';
import { type ReactNode, useState } from 'react';
import { classNames } from '../lib/class-names';

export type AvatarSize = 'xs' | 'sm' | 'md' | 'lg' | 'xl';

interface MonogramProps {
  /** The person's or thing's name: used for the initials and the accessible name. */
  name: string;
  /** Initials from the server; derived from `name` when missing. */
  initials?: string | undefined;
  /** Background colour; derived from `seed` (or `name`) when missing. */
  color?: string | undefined;
  /** A stable id to derive the colour from, so renaming keeps the colour. */
  seed?: string | undefined;
  /** An uploaded image, shown instead of the initials. */
  src?: string | null | undefined;
  size?: AvatarSize;
  /** Decorative when the name is printed next to it (the default), so it is not read twice. */
  decorative?: boolean;
  className?: string;
}

function Monogram({
  name,
  initials,
  color,
  seed,
  src,
  size = 'md',
  decorative = true,
  className,
  shape,
}: MonogramProps & { shape: 'circle' | 'square' }): ReactNode {
  const background = color ?? avatarColorFor(seed ?? name);
  // An image that fails to load (moved, blocked, not an image) falls back to the initials.
  const [failedSrc, setFailedSrc] = useState<string | null>(null);
  const image = src && src !== failedSrc ? src : null;
  const a11y = decorative ? { 'aria-hidden': true as const } : { role: 'img', 'aria-label': name };
  return (
    <span
      className={classNames('monogram', `monogram--${shape}`, `monogram--${size}`, className)}
      style={image ? undefined : { backgroundColor: background }}
      {...a11y}
    >
      {image ? (
        <img src={image} alt="" onError={() => setFailedSrc(image)} />
      ) : (
        (initials ?? initialsOf(name))
      )}
    </span>
  );
}

/** A person: round, with their colour and initials (or photo). */
export function Avatar(props: MonogramProps): ReactNode {
  return <Monogram {...props} shape="circle" />;
}

/** A person as the API describes them: enough to draw their avatar. */
export interface AvatarPerson {
  displayName: string;
  initials?: string | undefined;
  avatarColor?: string | undefined;
}

/** A person's avatar from their record: their name, initials and colour. */
export function PersonAvatar({ person, size }: { person: AvatarPerson; size: AvatarSize }): ReactNode {
  return (
    <Avatar name={person.displayName} initials={person.initials} color={person.avatarColor} size={size} />
  );
}

/** An organization's or space's logo: a rounded square with colour and initials (or an uploaded image). */
export function Logo(props: MonogramProps): ReactNode {
  return <Monogram {...props} shape="square" />;
}
