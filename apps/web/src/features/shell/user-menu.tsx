import { type ReactNode, useState } from 'react';
import {
  Avatar,
  DropdownMenu,
  DropdownMenuItem,
  DropdownMenuLabel,
  DropdownMenuSeparator,
  useToast,
} from '../../components';
import { ChevronDownIcon, LockIcon, LogOutIcon } from '../../components/icons';
import { describeError } from '../../lib/api-errors';
import type { CurrentUser } from '../../lib/trpc';
import { ChangePasswordDialog } from '../auth/change-password-dialog';
import { useSignOut } from '../auth/session';

/** The signed-in user's menu in the top bar: who they are, change password, sign out. */
export function UserMenu({ user }: { user: CurrentUser }): ReactNode {
  const [changingPassword, setChangingPassword] = useState(false);
  const signOut = useSignOut();
  const toast = useToast();

  return (
    <>
      <DropdownMenu
        label="Account"
        align="end"
        width={260}
        trigger={(props, open) => (
          <button {...props} type="button" className="user-menu__trigger" data-open={open || undefined}>
            <Avatar name={user.displayName} initials={user.initials} color={user.avatarColor} size="sm" />
            <span className="user-menu__name">{user.displayName}</span>
            <ChevronDownIcon size={14} className="user-menu__chevron" />
            <span className="sr-only">Account menu</span>
          </button>
        )}
      >
        <DropdownMenuLabel>
          <span className="user-menu__identity">
            <Avatar name={user.displayName} initials={user.initials} color={user.avatarColor} size="md" />
            <span className="user-menu__identity-text">
              <span className="user-menu__identity-name">{user.displayName}</span>
              <span className="user-menu__identity-email">{user.email}</span>
            </span>
          </span>
        </DropdownMenuLabel>
        <DropdownMenuSeparator />
        <DropdownMenuItem icon={<LockIcon size={16} />} onSelect={() => setChangingPassword(true)}>
          Change password
        </DropdownMenuItem>
        <DropdownMenuItem
          icon={<LogOutIcon size={16} />}
          onSelect={() =>
            signOut.mutate(undefined, {
              onError: (error) =>
                toast({
                  title: 'Could not sign out',
                  description: describeError(error).message,
                  tone: 'danger',
                }),
            })
          }
        >
          Sign out
        </DropdownMenuItem>
      </DropdownMenu>
      <ChangePasswordDialog
        open={changingPassword}
        onClose={() => setChangingPassword(false)}
        email={user.email}
      />
    </>
  );
}
