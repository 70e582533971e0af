import type { ReactNode } from 'react';
import { DropdownMenu, IconButton } from '../../components';
import { MoreHorizontalIcon } from '../../components/icons';

/** The "…" menu at the end of a member's row (organization members, a space's members). */
export function MemberActionsMenu({
  name,
  width,
  children,
}: {
  /** The member's display name, for the menu's and the button's label. */
  name: string;
  width: number;
  children: ReactNode;
}): ReactNode {
  return (
    <DropdownMenu
      label={`Actions for ${name}`}
      align="end"
      width={width}
      trigger={(props) => (
        <IconButton {...props} label={`Actions for ${name}`} size="sm">
          <MoreHorizontalIcon size={16} />
        </IconButton>
      )}
    >
      {children}
    </DropdownMenu>
  );
}
