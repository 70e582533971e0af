import type { ReactNode } from 'react';
import { Button, ButtonLink, KeysmithMark, KeysmithWordmark, Spinner } from '../../components';
import { AlertTriangleIcon, ArrowLeftIcon, RefreshIcon } from '../../components/icons';
import { describeError } from '../../lib/api-errors';
import { useDocumentTitle } from '../../lib/document-title';
import { Link } from '../../lib/router';

/** Shown while the SPA learns who is signed in (usually a fraction of a second). */
export function AppSplash(): ReactNode {
  return (
    <div className="splash" aria-busy="true">
      <KeysmithMark size={40} />
      <Spinner size="md" label="Loading Keysmith" />
    </div>
  );
}

/** The chrome of pages outside the shell: logo at the top, content centred. */
export function FullPageFrame({ children }: { children: ReactNode }): ReactNode {
  return (
    <div className="full-page">
      <header className="full-page__top">
        <Link to="/" aria-label="Keysmith home">
          <KeysmithWordmark size={26} />
        </Link>
      </header>
      <main className="full-page__content" id="main">
        {children}
      </main>
    </div>
  );
}

/** When the first request fails (API down, network gone): says so and offers a retry. */
export function FullPageError({
  error,
  onRetry,
  retrying = false,
}: {
  error: unknown;
  onRetry: () => void;
  retrying?: boolean;
}): ReactNode {
  useDocumentTitle('Something went wrong');
  return (
    <FullPageFrame>
      <div className="full-page__card">
        <div className="full-page__icon full-page__icon--danger">
          <AlertTriangleIcon size={22} />
        </div>
        <h1 className="full-page__title">We couldn't load Keysmith</h1>
        <p className="full-page__text">{describeError(error).message}</p>
        <Button variant="primary" icon={<RefreshIcon size={16} />} onClick={onRetry} loading={retrying}>
          Try again
        </Button>
      </div>
    </FullPageFrame>
  );
}

/** The 404 page for URLs that match no screen. */
export function NotFoundPage(): ReactNode {
  useDocumentTitle('Page not found');
  return (
    <FullPageFrame>
      <div className="full-page__card">
        <p className="full-page__code">404</p>
        <h1 className="full-page__title">Page not found</h1>
        <p className="full-page__text">
          The page you were looking for doesn't exist, was moved, or you don't have access to it.
        </p>
        <ButtonLink to="/" variant="primary" icon={<ArrowLeftIcon size={16} />}>
          Back to dashboard
        </ButtonLink>
      </div>
    </FullPageFrame>
  );
}
