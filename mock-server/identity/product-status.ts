/**
 * What the switcher shows for each product, for one user. This is the seam the next issue fills with real
 * product users and links (Segment/SendGrid tables): for now the Console is always active, and the other
 * products are `not_set_up` for eligible users and `unavailable` during the limited release otherwise.
 */
import type { ProductEntry } from '../../src/shared/api';
import { PRODUCT_IDS, PRODUCTS, siteOrigin } from '../../src/shared/catalogue';
import type { User } from '../accounts/users';

export const LIMITED_RELEASE_NOTE = 'Contact support to request access';

/** The set-up page of a product, on the login host (link an existing user or create one). */
export function setupPath(productId: 'segment' | 'sendgrid'): string {
  return `/setup/${productId}`;
}

export function productStatusFor(user: User, port: number): ProductEntry[] {
  return PRODUCT_IDS.map((id): ProductEntry => {
    const { name, site } = PRODUCTS[id];
    if (id === 'console') return { id, name, status: 'active', url: `${siteOrigin(site, port)}/`, workspaces: [] };
    if (!user.eligible) return { id, name, status: 'unavailable', note: LIMITED_RELEASE_NOTE, workspaces: [] };
    return { id, name, status: 'not_set_up', url: `${siteOrigin('login', port)}${setupPath(id)}`, workspaces: [] };
  });
}
