import { useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { Select } from '../../components';
import { trpc } from '../../lib/trpc';

/**
 * Narrows a list (request logs, failed authentication, rate-limit hits) to one key of the
 * organization, or of one space. A key id not among the first hundred still shows, by id.
 */
export function KeyFilter({
  orgId,
  spaceId,
  value,
  onChange,
}: {
  orgId: string;
  spaceId: string | undefined;
  value: string;
  onChange: (keyId: string) => void;
}): ReactNode {
  const keys = useQuery({
    ...trpc.key.list.queryOptions({ orgId, perPage: 100, ...(spaceId ? { spaceId } : {}) }),
    staleTime: 60_000,
  });
  const options = (keys.data?.data ?? []).map((key) => ({ value: key.id, label: key.name }));
  if (value && !options.some((option) => option.value === value)) options.push({ value, label: value });
  options.sort((a, b) => a.label.localeCompare(b.label));
  return (
    <Select
      label="Key"
      hideLabel
      value={value}
      onChange={(event) => onChange(event.target.value)}
      options={[{ value: '', label: 'All keys' }, ...options]}
      fieldClassName="toolbar-select"
    />
  );
}
