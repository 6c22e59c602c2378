import type { ApiClient } from '../api/client';
import { getFormVersion, listFormDefinitions } from '../api/endpoints';
import type { Localized } from '../api/types';

/** PublishedForm is one form a tenant's users can work with. */
export interface PublishedForm {
  key: string;
  version: number;
  publishedAt: string | undefined;
  title: Localized | undefined;
  description: Localized | undefined;
}

/**
 * publishedForms lists the tenant's published forms with their titles, reading each
 * latest version's body (in parallel; a tenant has a handful of forms, not hundreds).
 */
export async function publishedForms(api: ApiClient, tenant: string): Promise<PublishedForm[]> {
  const defs = (await listFormDefinitions(api, tenant)).filter((d) => d.latest > 0);
  const versions = await Promise.all(defs.map((d) => getFormVersion(api, tenant, d.key, d.latest)));
  return versions
    .map((v) => ({
      key: v.key,
      version: v.version,
      publishedAt: v.published_at,
      title: v.body.title,
      description: v.body.description,
    }))
    .sort((a, b) => a.key.localeCompare(b.key));
}
