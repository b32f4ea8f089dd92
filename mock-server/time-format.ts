/**
 * Times as every site shows them: in the zone the person chose for that site (the Console's for Twilio pages,
 * the product user's for Segment and SendGrid), with the zone named, inside a `<time>` that carries the instant.
 */
import { html, type SafeHtml } from './html';

const formats = new Map<string, Intl.DateTimeFormat>();

function formatIn(zone: string): Intl.DateTimeFormat {
  let format = formats.get(zone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: zone });
    formats.set(zone, format);
  }
  return format;
}

/** "1 Dec 2026, 10:14 (Europe/Berlin)". A zone the runtime does not know falls back to UTC, named as such. */
export function formatTime(ms: number, zone: string): string {
  try {
    return `${formatIn(zone).format(ms)} (${zone})`;
  } catch {
    return `${formatIn('UTC').format(ms)} (UTC)`;
  }
}

/** `<time datetime="<ISO instant>">1 Dec 2026, 10:14 (Europe/Berlin)</time>` */
export function timeElement(ms: number, zone: string): SafeHtml {
  return html`<time datetime="${new Date(ms).toISOString()}">${formatTime(ms, zone)}</time>`;
}
