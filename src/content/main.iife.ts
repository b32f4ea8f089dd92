/**
 * Content script entry on the product sites (document_end): wires the features, nothing else.
 * Bundled as one self-contained IIFE (no chunks, nothing web-accessible).
 */
import { initSwitcher } from './switcher';

const controller = new AbortController();
initSwitcher(controller.signal);
