/**
 * Which organization to open when the URL does not say: the one used last in this browser
 * (remembered in localStorage), else the first one the user joined.
 */

const STORAGE_KEY = 'keysmith:last-organization';

/** Picks the remembered organization if the user still belongs to it, else the first; `null` when there is none. */
export function pickOrganization<T extends { slug: string }>(
  organizations: readonly T[],
  rememberedSlug: string | null,
): T | null {
  return organizations.find((org) => org.slug === rememberedSlug) ?? organizations[0] ?? null;
}

export function readRememberedOrganization(): string | null {
  try {
    return window.localStorage.getItem(STORAGE_KEY);
  } catch {
    // Storage can be disabled (privacy modes); the first organization is a fine default.
    return null;
  }
}

export function rememberOrganization(slug: string): void {
  try {
    window.localStorage.setItem(STORAGE_KEY, slug);
  } catch {
    // See readRememberedOrganization.
  }
}

/** The path of an organization's page: `organizationPath('acme', 'keys')` → `/o/acme/keys`. */
export function organizationPath(slug: string, section = ''): string {
  const base = `/o/${encodeURIComponent(slug)}`;
  return section ? `${base}/${section}` : base;
}
