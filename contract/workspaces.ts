/**
 * Words and names for a product's workspaces (Segment) or accounts (SendGrid), shared by the popup and the
 * in-page switcher so both say exactly the same thing (and e2e tests can find either by the same name).
 */
import type { ProductId } from './catalogue';

/** What a product calls the places a user belongs to. */
export const WORKSPACE_NOUN: Readonly<Record<ProductId, string>> = {
  console: 'account',
  segment: 'workspace',
  sendgrid: 'account',
};

/** At most this many workspaces are listed under a product (the most recently visited ones). */
export const MAX_LISTED_WORKSPACES = 5;

/** Shown for a product the user may not set up yet (limited release), in the popup and the switcher alike. */
export const CONTACT_SUPPORT = 'Contact support to request access';
/** Shown for a product whose request for access is waiting for support. */
export const ACCESS_REQUESTED = 'Access requested';

/** The accessible name of a workspace entry, e.g. "Ben Co, Member, Segment workspace". */
export function workspaceLabel(productId: ProductId, productName: string, workspace: { name: string; role: string }) {
  return `${workspace.name}, ${workspace.role}, ${productName} ${WORKSPACE_NOUN[productId]}`;
}
