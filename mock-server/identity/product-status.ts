/**
 * What the switcher shows for each product, for one Twilio user: the Console is always `active`; Segment and
 * SendGrid are `linked` when a product user is linked to the Twilio user's `sub` (with its workspaces/accounts,
 * most recently visited first), `not_set_up` for eligible users otherwise, and during the limited release, for users
 * who are not eligible, `access_requested` while their request for access waits for support, `unavailable` else.
 */

import type { ProductEntry } from '../../contract/api';
import { PRODUCT_IDS, PRODUCTS, type SetupProductId, siteOrigin } from '../../contract/catalogue';
import { continueWithTwilioUrl, homePath } from '../../contract/product-pages';
import { CONTACT_SUPPORT } from '../../contract/workspaces';
import type { AccessRequest } from '../access/access-requests';
import type { User } from '../accounts/users';
import type { ProductStores } from '../products/product-stores';

export const ACCESS_REQUESTED_NOTE = 'Access requested';
export const ACCESS_DECLINED_NOTE = 'Your request for access was declined; you can ask again';

/** Segment's or SendGrid's entry for a user outside the limited release, after their latest access request. */
function limitedRelease(id: SetupProductId, request: AccessRequest | undefined): ProductEntry {
  const { name } = PRODUCTS[id];
  if (request?.status === 'pending') {
    return { id, name, status: 'access_requested', note: ACCESS_REQUESTED_NOTE, workspaces: [] };
  }
  const note = request?.status === 'declined' ? ACCESS_DECLINED_NOTE : CONTACT_SUPPORT;
  return { id, name, status: 'unavailable', note, workspaces: [] };
}

/** The set-up page of a product, on the login host (link an existing user or create one). */
export function setupPath(productId: SetupProductId): string {
  return `/setup/${productId}`;
}

function linkedWorkspaces(id: SetupProductId, user: User, stores: ProductStores, port: number) {
  if (id === 'segment') {
    const segmentUser = stores.segment.users.findByTwilioSub(user.id);
    if (!segmentUser) return undefined;
    return stores.segment.workspacesOf(segmentUser.id).map((workspace) => ({
      id: workspace.id,
      name: workspace.name,
      role: workspace.role,
      url: continueWithTwilioUrl('segment', port, homePath({ homeNoun: 'workspace' }, workspace.id)),
    }));
  }
  const sendgridUser = stores.sendgrid.users.findByTwilioSub(user.id);
  if (!sendgridUser) return undefined;
  return stores.sendgrid.accountsOf(sendgridUser.id).map((account) => ({
    id: account.id,
    name: account.name,
    role: account.role,
    url: continueWithTwilioUrl('sendgrid', port, homePath({ homeNoun: 'account' }, account.id)),
  }));
}

/** `accessRequest`: the user's latest request for access, if any (it matters only while they are not eligible). */
export function productStatusFor(
  user: User,
  port: number,
  stores: ProductStores,
  accessRequest?: AccessRequest,
): ProductEntry[] {
  return PRODUCT_IDS.map((id): ProductEntry => {
    const { name, site } = PRODUCTS[id];
    if (id === 'console') return { id, name, status: 'active', url: `${siteOrigin(site, port)}/`, workspaces: [] };
    // A product already linked stays reachable; the limited release gates new set-ups.
    const workspaces = linkedWorkspaces(id, user, stores, port);
    if (workspaces) {
      // Straight to the most recently visited workspace/account: one redirect fewer than the product's `/`.
      const url = workspaces[0]?.url ?? continueWithTwilioUrl(id, port);
      return { id, name, status: 'linked', url, workspaces };
    }
    if (!user.eligible) return limitedRelease(id, accessRequest);
    return { id, name, status: 'not_set_up', url: `${siteOrigin('login', port)}${setupPath(id)}`, workspaces: [] };
  });
}
