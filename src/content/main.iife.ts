/**
 * Content script entry on the product sites (document_end): wires the features, nothing else.
 * Bundled as one self-contained IIFE (no chunks, nothing web-accessible).
 */
import { initLoginRedirect } from './login-redirect';
import { initSwitcher } from './switcher';

const controller = new AbortController();
initSwitcher(controller.signal);
// Only on Segment's and SendGrid's login pages; it checks where it is itself.
initLoginRedirect(controller.signal);
