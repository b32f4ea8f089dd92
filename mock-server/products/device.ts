/**
 * A readable name for the browser behind a login ("Chromium on Linux"), for Segment's session history. The
 * browser's own client hints (`Sec-CH-UA`, `Sec-CH-UA-Platform`) say it best — Chromium and Chrome send the same
 * user agent string — so they come first; otherwise the user agent is parsed by Bowser.
 */
import Bowser from 'bowser';

export interface DeviceHeaders {
  userAgent: string | undefined;
  /** `Sec-CH-UA`, e.g. `"Chromium";v="156", "Not-A.Brand";v="24"`. */
  brands: string | undefined;
  /** `Sec-CH-UA-Platform`, e.g. `"Linux"`. */
  platform: string | undefined;
}

const MAX_NAME = 40;
const clean = (value: string) =>
  value
    .replace(/[^\p{L}\p{N} ._-]/gu, '')
    .trim()
    .slice(0, MAX_NAME);

/** The brand a person would name: a product brand ("Google Chrome", "Microsoft Edge") over the engine "Chromium". */
function brandFrom(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const brands = [...header.matchAll(/"([^"]{1,64})"\s*;\s*v="[^"]*"/g)]
    .map((match) => clean(match[1]!))
    // GREASE entries ("Not-A.Brand", "Not=A?Brand") are there to be ignored.
    .filter((brand) => brand && !/not.?a.?brand/i.test(brand));
  return brands.find((brand) => brand !== 'Chromium') ?? brands[0];
}

export function describeDevice({ userAgent, brands, platform }: DeviceHeaders): string {
  const parsed = userAgent ? Bowser.parse(userAgent.slice(0, 512)) : undefined;
  const browser = brandFrom(brands) ?? parsed?.browser.name;
  const os = (platform ? clean(platform) : '') || parsed?.os.name;
  if (!browser) return os ? `Unknown browser on ${os}` : 'Unknown browser';
  return os ? `${browser} on ${os}` : browser;
}
