import { useRef } from 'preact/hooks';
import { siteOrigin } from '../../contract/catalogue';
import { parsePort } from '../shared/world-settings';
import type { OptionsModel } from './model';

const SITES = [
  ['login', 'Twilio login'],
  ['console', 'Twilio Console'],
  ['segment', 'Segment'],
  ['sendgrid', 'SendGrid'],
] as const;

/**
 * The options page: which mock world (by port) the extension talks to, and whether the login-redirect notice
 * continues on its own.
 */
export function Options({ model }: { model: OptionsModel }) {
  const parsed = parsePort(model.input.value);
  const check = model.check.value;
  const invalid = model.invalid.value;
  const saving = model.saving.value;
  const unread = model.unread.value;
  const autoContinueUnread = model.autoContinueUnread.value;
  const field = useRef<HTMLInputElement>(null);
  /** A refused port is corrected where it was typed: the field takes the focus, its error read with it. */
  const checked = (action: () => Promise<void>) => () => {
    void action();
    if (model.invalid.value !== null) field.current?.focus();
  };
  return (
    <main>
      <h1>Login Switcher settings</h1>
      <form
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          checked(model.save)();
        }}
      >
        <h2>Mock world</h2>
        <p class="lead">
          The extension signs in to the Twilio login of the mock world on this port and shows its switcher on that
          world’s product pages. Start the world with <code>PORT=… npm start</code>.
        </p>
        {unread && (
          <p id="port-unread" class="notice" role="status">
            Sorry, the saved port could not be read from the browser’s storage, so the built-in port is shown. You can
            still save a port.
          </p>
        )}
        <label for="port">Port</label>
        <input
          id="port"
          ref={field}
          name="port"
          inputMode="numeric"
          autoComplete="off"
          value={model.input.value}
          aria-invalid={invalid !== null}
          aria-describedby={[invalid && 'port-error', unread && 'port-unread', 'port-hint'].filter(Boolean).join(' ')}
          onInput={(event) => model.edit(event.currentTarget.value)}
        />
        <p id="port-hint" class="hint">
          Built-in: {model.builtInPort}. In use: {model.saved.value}.{' '}
          <button type="button" class="link" onClick={() => model.useBuiltIn()}>
            Use the built-in port
          </button>
        </p>
        {invalid && (
          <p id="port-error" class="error" role="alert">
            {invalid}
          </p>
        )}
        {parsed.ok && (
          // A named region (a `dl` takes no name of its own): its heading is what is announced on entering it.
          <section class="origins" aria-labelledby="origins-title">
            <h3 id="origins-title">The world’s sites on this port</h3>
            <dl>
              {SITES.map(([site, name]) => (
                <div key={site}>
                  <dt>{name}</dt>
                  <dd>{siteOrigin(site, parsed.port)}</dd>
                </div>
              ))}
            </dl>
          </section>
        )}
        <div class="actions">
          <button
            type="button"
            class="secondary"
            aria-disabled={check.state === 'checking'}
            onClick={checked(model.testConnection)}
          >
            Test connection
          </button>
          <button type="submit" class="primary" aria-disabled={saving}>
            Save
          </button>
        </div>
        <p class={`check ${check.state === 'done' ? (check.result.ok ? 'ok' : 'bad') : ''}`} role="status">
          {check.state === 'checking' && 'Testing the connection…'}
          {check.state === 'done' &&
            (check.result.ok ? `Connected: the Twilio login answers at ${check.result.issuer}.` : check.result.message)}
        </p>
        <p class="saved" role="status">
          {saving ? 'Saving…' : model.status.value}
        </p>
      </form>
      {/* Outside the world's form: this saves on change, while the port's Save asks for permissions and signs the
          extension out. */}
      <section aria-labelledby="login-pages-title">
        <h2 id="login-pages-title">Segment and SendGrid login pages</h2>
        {autoContinueUnread && (
          <p id="auto-continue-unread" class="notice" role="status">
            Sorry, this setting could not be read from the browser’s storage, so the default is shown. You can still
            change it.
          </p>
        )}
        <div class="toggle">
          <input
            id="auto-continue"
            type="checkbox"
            checked={model.autoContinue.value}
            aria-describedby={[autoContinueUnread && 'auto-continue-unread', 'auto-continue-hint']
              .filter(Boolean)
              .join(' ')}
            onChange={(event) => void model.setAutoContinue(event.currentTarget.checked)}
          />
          <div>
            <label for="auto-continue">Continue to the Twilio login automatically</label>
            <p id="auto-continue-hint" class="hint">
              When an email you type signs in with your Twilio login, a notice offers to continue there and does so
              after a short countdown. When this is off, the notice waits for you to choose Continue.
            </p>
          </div>
        </div>
        <p id="auto-continue-status" role="status">
          {model.autoContinueStatus.value}
        </p>
      </section>
    </main>
  );
}
