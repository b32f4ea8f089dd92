/**
 * What every product page (Console, Segment, SendGrid) offers the extension: the element in its navigation where
 * the content script mounts the product switcher.
 */
export const SWITCHER_SLOT_ID = 'product-switcher-slot';
