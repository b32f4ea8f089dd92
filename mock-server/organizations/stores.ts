/** The stores of organizations and of their SCIM apps, as the Console's organization settings and the seed use them. */
import type { ScimApps } from '../scim/scim-apps';
import type { OrganizationStore } from './organizations';

export interface OrganizationStores {
  organizations: OrganizationStore;
  scimApps: ScimApps;
}
