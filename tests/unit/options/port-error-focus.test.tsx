import { render } from 'preact';
import { act } from 'preact/test-utils';
import { describe, expect, it } from 'vitest';
import { issuerFor } from '../../../contract/catalogue';
import { createOptionsModel } from '../../../src/options/model';
import { Options } from '../../../src/options/Options';
import { renderTarget } from '../support/container';
import { createMemoryStorageArea } from '../support/fakes';

const target = renderTarget();

function open() {
  const model = createOptionsModel(
    {
      area: createMemoryStorageArea(),
      builtInPort: 8787,
      testConnection: async (port) => ({ ok: true, issuer: issuerFor(port) }),
      requestHostPermissions: async () => true,
    },
    8787,
  );
  act(() => render(<Options model={model} />, target.element));
  const field = target.element.querySelector<HTMLInputElement>('#port')!;
  const button = (name: string) => [...target.element.querySelectorAll('button')].find((b) => b.textContent === name)!;
  return {
    field,
    button,
    type(value: string) {
      act(() => {
        field.value = value;
        field.dispatchEvent(new Event('input', { bubbles: true }));
      });
    },
  };
}

describe('a refused port on the options page', () => {
  it('puts the focus back in the field, with what was typed and the error it is described by', async () => {
    const page = open();
    page.type('80a');
    const save = page.button('Save');
    save.focus();
    await act(() => save.click());
    expect(document.activeElement).toBe(page.field);
    expect(page.field.value).toBe('80a');
    expect(page.field.getAttribute('aria-invalid')).toBe('true');
    expect(page.field.getAttribute('aria-describedby')).toBe('port-error port-hint');
    expect(target.element.querySelector('#port-error')?.textContent).toBe('The port is a whole number, digits only.');
  });

  it('does the same for "Test connection", and leaves the focus alone for a good port', async () => {
    const page = open();
    page.type('70000');
    const test = page.button('Test connection');
    test.focus();
    await act(() => test.click());
    expect(document.activeElement).toBe(page.field);
    expect(target.element.querySelector('#port-error')?.textContent).toBe('The port is between 1 and 65535.');

    page.type('9000');
    test.focus();
    await act(async () => {
      test.click();
      await new Promise((resolve) => setTimeout(resolve, 0));
    });
    expect(document.activeElement).toBe(test);
    expect(target.element.querySelector('.check')?.textContent).toBe(
      `Connected: the Twilio login answers at ${issuerFor(9000)}.`,
    );
  });
});
