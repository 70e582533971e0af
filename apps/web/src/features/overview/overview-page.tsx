import { useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { Badge, Card, CardHeader, CodeBlock } from '../../components';
import { ArrowRightIcon, CheckIcon } from '../../components/icons';
import { Link } from '../../lib/router';
import { trpc } from '../../lib/trpc';
import { verifySnippet } from '../api-keys/key-display';
import { LoadError } from '../organization/load-error';
import { orgAbilities } from '../organization/org-permissions';
import { useCurrentOrganization } from '../organization/organization-context';
import {
  formatDate,
  PLAN_LABEL,
  PLAN_TONE,
  planIncludesApiKeys,
  ROLE_LABEL,
} from '../organization/organization-labels';
import { organizationPath } from '../organization/organization-preference';
import { BusiestKeysCard, HeadroomCard, UsageOverviewSkeleton, UsageStats } from './usage-overview';
import './overview.css';

/**
 * The organization's home. With keys: the last 24 hours at a glance (requests, busiest keys,
 * plan-limit headroom, refreshed every 30 s). Without (or on a plan without keys): its facts
 * and the path from nothing to a verified key.
 */
export function OverviewPage(): ReactNode {
  const { organization, user } = useCurrentOrganization();
  const firstName = user.displayName.split(' ')[0] ?? user.displayName;
  const withKeys = planIncludesApiKeys(organization.plan);
  const overview = useQuery({
    ...trpc.usage.overview.queryOptions({ orgId: organization.id }),
    enabled: withKeys,
    refetchInterval: 30_000,
  });

  if (withKeys && overview.isPending) {
    return (
      <div className="stack stack--xl">
        <Welcome firstName={firstName} text={`Here's how ${organization.name} is doing.`} />
        <UsageOverviewSkeleton />
      </div>
    );
  }

  if (withKeys && overview.data && overview.data.keys.total > 0) {
    return (
      <div className="stack stack--xl">
        <Welcome
          firstName={firstName}
          text={`Here's how the API keys of ${organization.name} did over the last 24 hours.`}
        />
        <UsageStats overview={overview.data} />
        <div className="overview-grid">
          <BusiestKeysCard overview={overview.data} orgSlug={organization.slug} />
          <HeadroomCard
            overview={overview.data}
            orgSlug={organization.slug}
            canChangePlan={orgAbilities(organization.role).changePlan}
          />
        </div>
      </div>
    );
  }

  return (
    <div className="stack stack--xl">
      <Welcome
        firstName={firstName}
        text={`Here's how ${organization.name} is set up, and what to do next.`}
      />
      {overview.isError ? <LoadError title="Usage could not be loaded" query={overview} /> : null}
      <GettingStarted />
    </div>
  );
}

function Welcome({ firstName, text }: { firstName: string; text: string }): ReactNode {
  return (
    <div className="welcome">
      <h2 className="welcome__title">Welcome, {firstName}</h2>
      <p className="welcome__text">{text}</p>
    </div>
  );
}

/** An organization without keys yet: its facts and the checklist to a first verified request. */
function GettingStarted(): ReactNode {
  const { organization } = useCurrentOrganization();
  const snippet = verifySnippet(window.location.origin, organization.keyPrefix);

  const steps: Array<{ title: string; text: string; done: boolean; to?: string; cta?: string }> = [
    {
      title: 'Create your organization',
      text: `${organization.name} is set up and you are its ${ROLE_LABEL[organization.role].toLowerCase()}.`,
      done: true,
    },
    {
      title: 'Create a space for your API',
      text: 'A space declares the scopes its keys may hold, and who may manage them.',
      done: false,
      to: organizationPath(organization.slug, 'spaces'),
      cta: 'Open spaces',
    },
    {
      title: 'Issue your first API key',
      text: 'Give a consumer a key with scopes, an expiry, quotas and rate limits.',
      done: false,
      to: organizationPath(organization.slug, 'keys'),
      cta: 'Open API keys',
    },
    {
      title: 'Verify keys from your backend',
      text: 'One call checks a key, its scopes, quotas and limits, and counts the usage.',
      done: false,
    },
  ];
  const completed = steps.filter((step) => step.done).length;

  return (
    <>
      <dl className="stat-grid">
        <div className="stat">
          <dt className="stat__label">Plan</dt>
          <dd className="stat__value">
            <Badge tone={PLAN_TONE[organization.plan]}>{PLAN_LABEL[organization.plan]}</Badge>
          </dd>
        </div>
        <div className="stat">
          <dt className="stat__label">Key prefix</dt>
          <dd className="stat__value mono">{organization.keyPrefix}_live_…</dd>
        </div>
        <div className="stat">
          <dt className="stat__label">Your role</dt>
          <dd className="stat__value">{ROLE_LABEL[organization.role]}</dd>
        </div>
        <div className="stat">
          <dt className="stat__label">Created</dt>
          <dd className="stat__value">{formatDate(organization.createdAt)}</dd>
        </div>
      </dl>

      <Card>
        <CardHeader
          title="Get started"
          description="From an empty organization to your first verified request."
          actions={
            <span className="progress-label">
              {completed} of {steps.length} done
            </span>
          }
        />
        <ol className="checklist">
          {steps.map((step, index) => (
            <li key={step.title} className="checklist__item" data-done={step.done || undefined}>
              <span className="checklist__marker" aria-hidden="true">
                {step.done ? <CheckIcon size={14} /> : index + 1}
              </span>
              <div className="checklist__body">
                <p className="checklist__title">
                  {step.title}
                  {step.done ? <span className="sr-only"> (done)</span> : null}
                </p>
                <p className="checklist__text">{step.text}</p>
                {index === steps.length - 1 ? <CodeBlock title="Verify a key" code={snippet} /> : null}
              </div>
              {step.to && step.cta ? (
                <Link to={step.to} className="checklist__link">
                  {step.cta} <ArrowRightIcon size={14} />
                </Link>
              ) : null}
            </li>
          ))}
        </ol>
      </Card>
    </>
  );
}
