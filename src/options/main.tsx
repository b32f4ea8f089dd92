/** Options page entry: wires the model to storage, the network and the permissions API, and renders. */
import { render } from 'preact';
import { BUILD_PORT } from '../shared/config';
import { loadAutoContinue } from '../shared/login-redirect-settings';
import { loadWorldPort } from '../shared/world-settings';
import { testConnection } from './connection';
import { createOptionsModel } from './model';
import { Options } from './Options';
import './options.css';

const origins = chrome.runtime.getManifest().host_permissions ?? [];

/** The saved settings, or `undefined` when storage could not be read: the page opens anyway, on the defaults. */
async function savedSettings(): Promise<{ port: number; autoContinue: boolean } | undefined> {
  try {
    const area = chrome.storage.local;
    const [port, autoContinue] = await Promise.all([loadWorldPort(area), loadAutoContinue(area)]);
    return { port, autoContinue };
  } catch {
    return undefined;
  }
}

const saved = await savedSettings();
const model = createOptionsModel(
  {
    area: chrome.storage.local,
    builtInPort: BUILD_PORT,
    testConnection: (port) => testConnection(port),
    // Called from the Save click, with nothing awaited before it: the browser shows its prompt only then.
    requestHostPermissions: () => chrome.permissions.request({ origins }),
  },
  saved?.port ?? BUILD_PORT,
  { unread: saved === undefined, autoContinue: saved?.autoContinue },
);
render(<Options model={model} />, document.getElementById('app')!);
