/**
 * Content script entry on the product sites (document_end): the one registry of content features. Each feature
 * declares where it applies; this decides which run on this page. Bundled as one self-contained IIFE (no chunks,
 * nothing web-accessible).
 */
import { useWorldPort } from '../shared/config';
import { continueAs } from './continue-as';
import { type ContentFeature, runFeatures } from './features';
import { loginRedirect } from './login-redirect';
import { switcher } from './switcher';

const FEATURES: readonly ContentFeature[] = [switcher, loginRedirect, continueAs];

// This page's port is its world's: the background answers only pages of the configured world, and links from it
// are checked against this page's world.
useWorldPort(Number(location.port) || 80);
runFeatures(FEATURES, location, new AbortController().signal);
