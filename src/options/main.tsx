/** Options page entry: wires the model to storage, the network and the permissions API, and renders. */
import { render } from 'preact';
import { BUILD_PORT } from '../shared/config';
import { loadWorldPort } from '../shared/world-settings';
import { testConnection } from './connection';
import { createOptionsModel } from './model';
import { Options } from './Options';
import './options.css';

const origins = chrome.runtime.getManifest().host_permissions ?? [];
const model = createOptionsModel(
  {
    area: chrome.storage.local,
    builtInPort: BUILD_PORT,
    testConnection: (port) => testConnection(port),
    // Called from the Save click, with nothing awaited before it: the browser shows its prompt only then.
    requestHostPermissions: () => chrome.permissions.request({ origins }),
  },
  await loadWorldPort(chrome.storage.local),
);
render(<Options model={model} />, document.getElementById('app')!);
