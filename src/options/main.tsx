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
    // Called from the Save click, so the browser may show its permission prompt (a user gesture is required).
    ensureHostPermissions: async () =>
      (await chrome.permissions.contains({ origins })) || chrome.permissions.request({ origins }),
  },
  await loadWorldPort(chrome.storage.local),
);
render(<Options model={model} />, document.getElementById('app')!);
