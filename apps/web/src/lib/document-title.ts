import { useEffect } from 'react';

/** Sets the tab title to "<parts> · Keysmith", so history and tabs name the page. */
export function useDocumentTitle(...parts: ReadonlyArray<string | null | undefined>): void {
  const title = [...parts.filter(Boolean), 'Keysmith'].join(' · ');
  useEffect(() => {
    document.title = title;
  }, [title]);
}
