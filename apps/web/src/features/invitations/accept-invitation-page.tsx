import { useMutation, useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import {
  Alert,
  Button,
  ButtonLink,
  KeysmithWordmark,
  Logo,
  PersonAvatar,
  Spinner,
  useToast,
} from '../../components';
import {
  AlertTriangleIcon,
  ArrowRightIcon,
  CheckIcon,
  ClockIcon,
  CompassIcon,
  LogOutIcon,
  MailIcon,
  XIcon,
} from '../../components/icons';
import { describeError, errorCodeOf } from '../../lib/api-errors';
import { useDocumentTitle } from '../../lib/document-title';
import { Link, navigate } from '../../lib/router';
import { type Me, type OrgRole, queryClient, type RouterOutputs, trpc } from '../../lib/trpc';
import { refreshMe, useMe } from '../auth/session';
import { relativeSpan } from '../members/invitation-display';
import { OrgRoleBadge } from '../members/role-badge';
import { formatDate, ROLE_LABEL } from '../organization/organization-labels';
import { organizationPath, rememberOrganization } from '../organization/organization-preference';
import { FullPageFrame } from '../shell/full-page-states';
import { authPathForInvitation, sameEmail } from './invitation-paths';
import '../organization/tenancy.css';
import './invitations.css';

type Preview = RouterOutputs['invitation']['preview'];

/** What the invited role lets *you* do, in the invitee's words. */
const ROLE_FOR_YOU: Record<OrgRole, string> = {
  owner: 'Full control, including the plan, ownership and deleting the organization',
  admin: 'Manage members, invitations, every space and every key',
  member: 'Work in the spaces you are added to, with the role you get there',
};

/**
 * `/invite/:token`, reachable signed out. Shows what the link offers (organization, inviter,
 * role, invited email) and the way to accept it: sign in or sign up with the invited email and
 * come back; if signed in as someone else, say so and offer to sign out; accept lands in the
 * organization. Expired, revoked, used and unknown links each get their own explanation.
 */
export function AcceptInvitationPage({ token }: { token: string }): ReactNode {
  const me = useMe();
  const preview = useQuery({ ...trpc.invitation.preview.queryOptions({ token }), staleTime: 0 });
  useDocumentTitle(preview.data ? `Join ${preview.data.organizationName}` : 'Invitation');

  if (preview.isPending || me.isPending) {
    return (
      <FullPageFrame>
        <div className="full-page__card" aria-busy="true">
          <Spinner size="lg" label="Loading the invitation" />
        </div>
      </FullPageFrame>
    );
  }

  if (preview.isError) {
    if (errorCodeOf(preview.error) === 'NOT_FOUND') {
      return (
        <InvitationProblem
          icon={<CompassIcon size={22} />}
          title="This invitation link isn't valid"
          text="The link may be incomplete or mistyped. Copy the whole link from the message you received, or ask the person who invited you to send a new one."
          me={me.data ?? null}
        />
      );
    }
    return (
      <InvitationProblem
        icon={<AlertTriangleIcon size={22} />}
        title="We couldn't load this invitation"
        text={describeError(preview.error).message}
        me={me.data ?? null}
        action={
          <Button variant="primary" onClick={() => void preview.refetch()} loading={preview.isFetching}>
            Try again
          </Button>
        }
      />
    );
  }

  const invitation = preview.data;
  if (invitation.status === 'expired') {
    return (
      <InvitationProblem
        icon={<ClockIcon size={22} />}
        title="This invitation has expired"
        text={`The invitation to join ${invitation.organizationName} expired on ${formatDate(invitation.expiresAt)}. Invitations are valid for 7 days: ask ${invitation.inviterName ?? 'an admin of the organization'} to send you a new one.`}
        me={me.data ?? null}
      />
    );
  }
  if (invitation.status === 'revoked') {
    return (
      <InvitationProblem
        icon={<XIcon size={22} />}
        title="This invitation was revoked"
        text={`An admin of ${invitation.organizationName} withdrew this invitation, so the link no longer works. If you still need access, ask ${invitation.inviterName ?? 'them'} for a new one.`}
        me={me.data ?? null}
      />
    );
  }
  if (invitation.status === 'accepted') {
    const joined = me.data?.organizations.find((org) => org.name === invitation.organizationName);
    return (
      <InvitationProblem
        {...(joined
          ? {
              action: (
                <ButtonLink
                  to={organizationPath(joined.slug)}
                  variant="primary"
                  icon={<ArrowRightIcon size={16} />}
                >
                  Open {joined.name}
                </ButtonLink>
              ),
            }
          : {})}
        icon={<CheckIcon size={22} />}
        tone="success"
        title="This invitation has already been used"
        text={`Each invitation link works once, and this one was accepted. If that was you, ${invitation.organizationName} is in your organization list.`}
        me={me.data ?? null}
      />
    );
  }

  return <ValidInvitation token={token} invitation={invitation} me={me.data ?? null} />;
}

function InvitationProblem({
  icon,
  title,
  text,
  me,
  action,
  tone = 'warning',
}: {
  icon: ReactNode;
  title: string;
  text: string;
  me: Me | null;
  action?: ReactNode;
  tone?: 'warning' | 'success';
}): ReactNode {
  return (
    <FullPageFrame>
      <div className="full-page__card invite-problem">
        <div className={`full-page__icon invite-problem__icon invite-problem__icon--${tone}`}>{icon}</div>
        <h1 className="full-page__title">{title}</h1>
        <p className="full-page__text">{text}</p>
        {action ??
          (me ? (
            <ButtonLink to="/" variant="primary" icon={<ArrowRightIcon size={16} />}>
              Go to your dashboard
            </ButtonLink>
          ) : (
            <ButtonLink to="/sign-in" variant="primary">
              Sign in to Keysmith
            </ButtonLink>
          ))}
      </div>
    </FullPageFrame>
  );
}

function ValidInvitation({
  token,
  invitation,
  me,
}: {
  token: string;
  invitation: Preview;
  me: Me | null;
}): ReactNode {
  const toast = useToast();
  const accept = useMutation(trpc.invitation.accept.mutationOptions());
  const signOut = useMutation(trpc.auth.signOut.mutationOptions());
  const inviter = invitation.inviterName ?? 'An admin';
  const matches = me !== null && sameEmail(me.user.email, invitation.email);

  const onAccept = () =>
    accept.mutate(
      { token },
      {
        onSuccess: async (organization) => {
          rememberOrganization(organization.slug);
          await refreshMe();
          toast({
            title: `Welcome to ${organization.name}`,
            description: `You joined as ${ROLE_LABEL[organization.role].toLowerCase()}.`,
          });
          navigate(organizationPath(organization.slug), { replace: true });
        },
      },
    );

  const onSwitchAccount = () =>
    signOut.mutate(undefined, {
      onSuccess: () => {
        queryClient.clear();
        queryClient.setQueryData(trpc.auth.me.queryKey(), null);
        navigate(authPathForInvitation('sign-in', token, invitation.email));
      },
    });

  return (
    <div className="invite">
      <header className="invite__top">
        <Link to="/" className="invite__brand" aria-label="Keysmith home">
          <KeysmithWordmark size={26} />
        </Link>
        {me ? (
          <span className="auth__account">
            <PersonAvatar person={me.user} size="sm" />
            <span className="auth__account-email">{me.user.email}</span>
          </span>
        ) : null}
      </header>
      <main className="invite__main" id="main">
        <div className="invite-card">
          <div className="invite-card__hero">
            <div className="invite-card__logos" aria-hidden="true">
              {/* Seeded by the slug, as everywhere else, so the organization's colour is the same here. */}
              <Logo
                name={invitation.organizationName}
                seed={invitation.organizationSlug}
                size="xl"
                className="invite-card__org-logo"
              />
            </div>
            <p className="invite-card__eyebrow">You're invited</p>
            <h1 className="invite-card__title">Join {invitation.organizationName} on Keysmith</h1>
            <p className="invite-card__subtitle">
              <strong>{inviter}</strong> invited you to manage API keys, spaces and access together.
            </p>
          </div>

          <dl className="invite-card__facts">
            <div>
              <dt>Organization</dt>
              <dd>{invitation.organizationName}</dd>
            </div>
            <div>
              <dt>Invited by</dt>
              <dd>{invitation.inviterName ?? 'An admin of the organization'}</dd>
            </div>
            <div>
              <dt>Your role</dt>
              <dd>
                <OrgRoleBadge role={invitation.role} />
                <span className="invite-card__role-text">{ROLE_FOR_YOU[invitation.role]}</span>
              </dd>
            </div>
            <div>
              <dt>Invited email</dt>
              <dd className="invite-card__email">
                <MailIcon size={14} /> {invitation.email}
              </dd>
            </div>
          </dl>

          <div className="invite-card__actions">
            {accept.isError ? <Alert tone="danger">{describeError(accept.error).message}</Alert> : null}
            {me === null ? (
              <>
                <p className="invite-card__lead">
                  Sign in or create an account with <strong>{invitation.email}</strong> to accept.
                </p>
                <ButtonLink
                  to={authPathForInvitation('sign-up', token, invitation.email)}
                  variant="primary"
                  size="lg"
                  block
                >
                  Create an account to accept
                </ButtonLink>
                <ButtonLink to={authPathForInvitation('sign-in', token, invitation.email)} size="lg" block>
                  Sign in to an existing account
                </ButtonLink>
              </>
            ) : matches ? (
              <>
                <Button variant="primary" size="lg" block onClick={onAccept} loading={accept.isPending}>
                  Accept and join {invitation.organizationName}
                </Button>
                <ButtonLink to="/" variant="ghost" block>
                  Not now
                </ButtonLink>
              </>
            ) : (
              <>
                <Alert tone="warning" title="This invitation is for another email address">
                  You are signed in as <strong>{me.user.email}</strong>, but the invitation was sent to{' '}
                  <strong>{invitation.email}</strong>. Sign out, then sign in or create an account with{' '}
                  {invitation.email} to accept it.
                </Alert>
                <Button
                  variant="primary"
                  size="lg"
                  block
                  icon={<LogOutIcon size={16} />}
                  onClick={onSwitchAccount}
                  loading={signOut.isPending}
                >
                  Sign out and continue as {invitation.email}
                </Button>
                <ButtonLink to="/" variant="ghost" block>
                  Back to my dashboard
                </ButtonLink>
              </>
            )}
          </div>
          <p className="invite-card__expiry">
            <ClockIcon size={13} /> This invitation expires {relativeSpan(invitation.expiresAt, Date.now())} ·{' '}
            {formatDate(invitation.expiresAt)}
          </p>
        </div>
        <InvitationPromise />
      </main>
    </div>
  );
}

/** Under the card: what the invitee is joining. Decorative; the card says everything needed. */
function InvitationPromise(): ReactNode {
  const points = [
    'Scoped keys with quotas and rate limits',
    'Every change audited',
    'Revocations in under a second',
  ];
  return (
    <ul className="invite__points" aria-hidden="true">
      {points.map((point) => (
        <li key={point}>
          <CheckIcon size={12} /> {point}
        </li>
      ))}
    </ul>
  );
}
