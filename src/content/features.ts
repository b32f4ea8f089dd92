/**
 * How content features are declared: each feature file states where it applies (product pages, login pages) and
 * exports `init(signal)`; the entry's one registry runs the features whose pages match. A feature never re-checks
 * where it is on its own.
 */
import { PRODUCT_LOGIN_PATH } from '../../contract/api';
import type { ProductId } from '../../contract/catalogue';
import { productForHost } from '../shared/config';

/** The parts of `window.location` the features read. */
export interface PageLocation {
  origin: string;
  hostname: string;
  pathname: string;
  search: string;
}

/** Where a feature applies. */
export type PagePredicate = (page: Pick<PageLocation, 'hostname' | 'pathname'>) => boolean;

/** Any page of a product of this world (Console, Segment, SendGrid). */
export const isProductPage: PagePredicate = (page) => productForHost(page.hostname) !== undefined;

/** A product's own login page (email and password form). */
export const isProductLoginPage: PagePredicate = (page) => isProductPage(page) && page.pathname === PRODUCT_LOGIN_PATH;

/** Pages of these products only. */
export function onProducts(products: readonly ProductId[]): PagePredicate {
  return (page) => {
    const product = productForHost(page.hostname);
    return product !== undefined && products.includes(product);
  };
}

export interface ContentFeature {
  /** Also the marker of what it mounts. */
  name: string;
  /** Runs only where every predicate holds. */
  include: readonly PagePredicate[];
  /** Start the feature; everything it adds or listens to goes away when `signal` aborts. */
  init(signal: AbortSignal): void;
}

/** Whether `feature` applies to `page`. */
export function appliesTo(feature: ContentFeature, page: Pick<PageLocation, 'hostname' | 'pathname'>): boolean {
  return feature.include.every((predicate) => predicate(page));
}

/** Run the features that apply to `page`; one failing feature does not stop the others. Returns the names run. */
export function runFeatures(
  features: readonly ContentFeature[],
  page: Pick<PageLocation, 'hostname' | 'pathname'>,
  signal: AbortSignal,
): string[] {
  const ran: string[] = [];
  for (const feature of features) {
    if (!appliesTo(feature, page)) continue;
    try {
      feature.init(signal);
      ran.push(feature.name);
    } catch (error) {
      console.error(`Unified Login Switcher: ${feature.name} failed to start`, error);
    }
  }
  return ran;
}
