import { render } from 'preact';
import { afterEach, beforeEach } from 'vitest';

/**
 * A fresh element in the document for each test of the calling file (or `describe`) to render into: `.element`,
 * unmounted and removed after each test.
 */
export function renderTarget(): { readonly element: HTMLElement } {
  let element: HTMLElement | undefined;
  beforeEach(() => {
    element = document.createElement('div');
    document.body.append(element);
  });
  afterEach(() => {
    if (!element) return;
    render(null, element);
    element.remove();
    element = undefined;
  });
  return {
    get element() {
      if (!element) throw new Error('renderTarget().element is there only during a test');
      return element;
    },
  };
}
