/**
 * The popup's first frame without waiting for Preact: with each snapshot the popup keeps the signed-in view's
 * markup, rendered offscreen from that snapshot exactly as `model.paint()` shows it. On open the markup goes into
 * the page at once, and Preact's render (a few milliseconds of script) runs after that frame, adopting the same
 * nodes (`render` over existing children diffs them; see docs/architecture.md, "Extension contexts"). The markup is
 * Preact's own output from state the background validated, in storage only extension pages can reach, and the
 * page's CSP runs no script from markup.
 */
import { render } from 'preact';
import type { SendMessage } from '../../contract/messages';
import { App } from './components/App';
import { createPopupModel } from './model';
import type { Snapshot } from './snapshot';

/** The offscreen view never acts: nothing in it can be clicked. */
const detached: SendMessage = () => Promise.reject(new Error('The offscreen popup view sends nothing.'));
const nothing = () => undefined;

/** The markup of the signed-in view painted from `snapshot`; `withSettings` as the popup renders its App. */
export function snapshotMarkup(snapshot: Omit<Snapshot, 'markup'>, withSettings = true): string {
  const model = createPopupModel(
    detached,
    { read: () => snapshot, write: nothing },
    { current: () => snapshot.port, use: nothing, configured: async () => snapshot.port },
  );
  model.paint();
  const root = document.createElement('div');
  render(<App model={model} onOpen={nothing} onSettings={withSettings ? nothing : undefined} />, root);
  const markup = root.innerHTML;
  render(null, root);
  return markup;
}

/** Shows `markup` in `app`: parsed in an inert document (nothing in it loads or runs), then moved into the page. */
export function paintMarkup(app: Element, markup: string): void {
  app.replaceChildren(...new DOMParser().parseFromString(markup, 'text/html').body.childNodes);
}
