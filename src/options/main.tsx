/** Options page entry: wires the model to storage, the network and the permissions API, and renders. */
import { render } from 'preact';
import { BUILD_PORT } from '../shared/config';
import { loadWorldPort } from '../shared/world-settings';
import { testConnection } from './connection';
import { createOptionsModel } from './model';
import { Options } from './Options';
import './options.css';

const origins = chrome.runtime.getManifest().host_permissions ?? [];

/** The saved port, or `undefined` when storage could not be read: the page opens anyway, on the built-in port. */
async function savedPort(): Promise<number | undefined> {
  try {
    return await loadWorldPort(chrome.storage.local);
  } catch {
    return undefined;
  }
}

const saved = await savedPort();
const model = createOptionsModel(
  {
    area: chrome.storage.local,
    builtInPort: BUILD_PORT,
    testConnection: (port) => testConnection(port),
    // Called from the Save click, with nothing awaited before it: the browser shows its prompt only then.
    requestHostPermissions: () => chrome.permissions.request({ origins }),
  },
  saved ?? BUILD_PORT,
  { unread: saved === undefined },
);
render(<Options model={model} />, document.getElementById('app')!);
