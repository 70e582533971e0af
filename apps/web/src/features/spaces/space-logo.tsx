import type { ReactNode } from 'react';
import { type AvatarSize, Logo } from '../../components';
import type { Space } from './space-permissions';

/** A space's logo: its uploaded image, else its colour and initials. */
export function SpaceLogo({
  space,
  size = 'md',
}: {
  space: Pick<Space, 'id' | 'name' | 'initials' | 'logoColor' | 'logoUrl'>;
  size?: AvatarSize;
}): ReactNode {
  return (
    <Logo
      name={space.name}
      initials={space.initials}
      color={space.logoColor}
      src={space.logoUrl}
      seed={space.id}
      size={size}
    />
  );
}
