import type { ReactNode } from 'react';
import { Badge } from './badge';

/** A person (or an invitee) in a table cell: a picture, a name and a line under it. */
export function Person({
  avatar,
  name,
  detail,
  isSelf = false,
}: {
  avatar: ReactNode;
  name: ReactNode;
  /** The line under the name: an email, when an invitation was sent. */
  detail: ReactNode;
  /** Mark the signed-in user with a "You" badge. */
  isSelf?: boolean;
}): ReactNode {
  return (
    <span className="person">
      {avatar}
      <span className="person__text">
        <span className="person__name">
          {name}
          {isSelf ? <Badge>You</Badge> : null}
        </span>
        <span className="person__email">{detail}</span>
      </span>
    </span>
  );
}
