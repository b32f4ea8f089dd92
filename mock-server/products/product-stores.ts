/** The stores of the products a Twilio user sets up (Segment, SendGrid), as the IdP and the set-up read them. */
import type { SegmentStore } from '../segment/store';
import type { SendGridStore } from '../sendgrid/store';

export interface ProductStores {
  segment: SegmentStore;
  sendgrid: SendGridStore;
}
