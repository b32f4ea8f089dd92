/**
 * What every SAML message must pass before any XML parser or signature check sees it: a size cap, strict base64,
 * a bounded inflate for the Redirect binding (a deflate bomb stops at the cap), and no DOCTYPE at all — SAML never
 * needs one, and refusing it outright closes XXE and entity-expansion attacks whatever the parser would do.
 */
import { inflateRawSync } from 'node:zlib';
import { DOMParser, type Element, ParseError } from '@xmldom/xmldom';
import { RequestError, SsoRefusal } from '../errors';

/** Largest SAML message accepted (decoded XML); real responses with a certificate are a few kilobytes. */
export const MAX_SAML_XML_BYTES = 64 * 1024;
/** Largest form body at the ACS: the base64 of the largest message plus RelayState. */
export const MAX_SAML_FORM_BYTES = 96 * 1024;

const BASE64 = /^[A-Za-z0-9+/\r\n]+={0,2}[\r\n]*$/;

export function decodeBase64(value: string, what: string): Buffer {
  if (!BASE64.test(value)) throw new SsoRefusal('saml_malformed', `The ${what} is not base64.`);
  return Buffer.from(value, 'base64');
}

/** The XML of a Redirect-binding parameter (base64 of raw DEFLATE), inflated to at most MAX_SAML_XML_BYTES. */
export function inflateRedirectParameter(value: string, what: string): string {
  const compressed = decodeBase64(value, what);
  let xml: Buffer;
  try {
    xml = inflateRawSync(compressed, { maxOutputLength: MAX_SAML_XML_BYTES });
  } catch (cause) {
    if (cause instanceof RangeError || (cause as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
      throw new RequestError('payload_too_large', `The ${what} inflates to more than ${MAX_SAML_XML_BYTES} bytes.`, {
        cause,
      });
    }
    throw new SsoRefusal('saml_malformed', `The ${what} is not DEFLATE-compressed.`, { cause });
  }
  return checkedXml(xml.toString('utf8'), what);
}

/** The XML of a POST-binding parameter (plain base64). */
export function decodePostParameter(value: string, what: string): string {
  const xml = decodeBase64(value, what);
  if (xml.length > MAX_SAML_XML_BYTES) {
    throw new RequestError('payload_too_large', `The ${what} is larger than ${MAX_SAML_XML_BYTES} bytes.`);
  }
  return checkedXml(xml.toString('utf8'), what);
}

function checkedXml(xml: string, what: string): string {
  if (/<!DOCTYPE|<!ENTITY/i.test(xml)) {
    throw new SsoRefusal('saml_doctype_forbidden', `The ${what} has a DOCTYPE; SAML messages must not.`);
  }
  if (!xml.trimStart().startsWith('<')) throw new SsoRefusal('saml_malformed', `The ${what} is not XML.`);
  return xml;
}

/**
 * Parses XML that passed the checks above and returns its root; any parse error (not a warning) is a 400. xmldom
 * reports plain errors to onError but throws a ParseError on fatal ones (an unclosed tag, no root element).
 */
export function parseXml(xml: string, what: string): Element {
  const checked = checkedXml(xml, what);
  let failure: string | undefined;
  let root: Element | null;
  try {
    root = new DOMParser({
      onError: (level, message) => {
        if (level !== 'warning') failure ??= message;
      },
    }).parseFromString(checked, 'text/xml').documentElement;
  } catch (cause) {
    if (!(cause instanceof ParseError)) throw cause;
    throw new SsoRefusal('saml_malformed', `The ${what} is not well-formed XML.`, { cause });
  }
  if (failure || !root) throw new SsoRefusal('saml_malformed', `The ${what} is not well-formed XML.`);
  return root;
}

/** The child elements of `parent` with this namespace and local name. */
export function childElements(parent: Element, namespace: string, localName: string): Element[] {
  const found: Element[] = [];
  for (let node = parent.firstChild; node; node = node.nextSibling) {
    if (
      node.nodeType === 1 &&
      (node as Element).namespaceURI === namespace &&
      (node as Element).localName === localName
    ) {
      found.push(node as Element);
    }
  }
  return found;
}
