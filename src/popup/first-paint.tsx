/**
 * The popup's first frame without waiting for Preact: with each snapshot the popup keeps the signed-in view,
 * rendered offscreen from that snapshot exactly as `model.paint()` shows it, as a tree of elements and texts. On
 * open that tree is built into the page at once (plain DOM calls, no HTML parsing), and Preact's render (a few
 * milliseconds of script) runs after that frame, adopting the same nodes (`render` over existing children diffs
 * them; see docs/architecture.md, "Extension contexts"). The tree is Preact's own output from state the background
 * validated, in storage only extension pages can reach; event-handler attributes are never built, and the page's
 * CSP runs no inline script anyway.
 */
import { render } from 'preact';
import type { SendMessage } from '../../contract/messages';
import { App } from './components/App';
import { createPopupModel } from './model';
import type { Snapshot, ViewNode } from './snapshot';

/** The offscreen view never acts: nothing in it can be clicked. */
const detached: SendMessage = () => Promise.reject(new Error('The offscreen popup view sends nothing.'));
const nothing = () => undefined;

function describe(node: Node): ViewNode[] {
  if (node.nodeType === Node.TEXT_NODE) return [node.nodeValue ?? ''];
  if (node.nodeType !== Node.ELEMENT_NODE) return [];
  const element = node as Element;
  const attributes = [...element.attributes].map((a): [string, string] => [a.name, a.value]);
  return [[element.localName, attributes, [...element.childNodes].flatMap(describe)]];
}

/** The signed-in view painted from `snapshot`; `withSettings` as the popup renders its App. */
export function snapshotView(snapshot: Omit<Snapshot, 'view'>, withSettings = true): ViewNode[] {
  const model = createPopupModel(
    detached,
    { read: () => snapshot, write: nothing },
    { current: () => snapshot.port, use: nothing, configured: async () => snapshot.port },
  );
  model.paint();
  const root = document.createElement('div');
  render(<App model={model} onOpen={nothing} onSettings={withSettings ? nothing : undefined} />, root);
  const view = [...root.childNodes].flatMap(describe);
  render(null, root);
  return view;
}

const SVG = 'http://www.w3.org/2000/svg';

function build(node: ViewNode, namespace: string | null): Node {
  if (typeof node === 'string') return document.createTextNode(node);
  const [tag, attributes, children] = node;
  const inner = tag === 'svg' ? SVG : namespace;
  const element = inner ? document.createElementNS(inner, tag) : document.createElement(tag);
  for (const [name, value] of attributes) if (!/^on/i.test(name)) element.setAttribute(name, value);
  for (const child of children) element.append(build(child, inner));
  return element;
}

/** Shows `view` in `app`; false (and `app` untouched) when the kept tree is not one. */
export function paintView(app: Element, view: ViewNode[]): boolean {
  try {
    app.replaceChildren(...view.map((node) => build(node, null)));
    return true;
  } catch {
    return false;
  }
}
