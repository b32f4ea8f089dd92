/** The one DOM helper of the content features: build elements from a tag, attributes and children. */

/**
 * An element with `attributes` set and `children` appended. Strings become text nodes, so page-controlled text is
 * never parsed as HTML.
 */
export function element<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Record<string, string> = {},
  ...children: (Node | string)[]
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  node.append(...children);
  return node;
}

const SVG_NS = 'http://www.w3.org/2000/svg';

/** An SVG element with `attributes`; children are SVG elements. */
export function svgElement(
  tag: string,
  attributes: Record<string, string | number>,
  ...children: Element[]
): SVGElement {
  const node = document.createElementNS(SVG_NS, tag) as SVGElement;
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, String(value));
  node.append(...children);
  return node;
}
