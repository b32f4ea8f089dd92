/** Popup entry: points at the configured world, builds the model on the real messaging, renders, loads. */
import { render } from 'preact';
import { isAllowedDestination, useWorldPort } from '../shared/config';
import { sendMessage } from '../shared/send-message';
import { loadWorldPort } from '../shared/world-settings';
import { App } from './components/App';
import { createPopupModel } from './model';
import { createSnapshotStore } from './snapshot';
import './popup.css';

function openInTab(url: string): void {
  if (!isAllowedDestination(url)) return;
  void chrome.tabs.create({ url }).then(async () => {
    // Close the toolbar popup; leave the page alone when it is open in a tab (keyboard users, tests).
    if (!(await chrome.tabs.getCurrent())) window.close();
  });
}

// The product links are checked against the configured world's origins, so those are known before the first render.
useWorldPort(await loadWorldPort(chrome.storage.local));
const model = createPopupModel(sendMessage, createSnapshotStore(localStorage));
// Load first: it paints the snapshot synchronously, so the very first render already shows the signed-in view.
const loading = model.load();
render(
  <App model={model} onOpen={openInTab} onSettings={() => void chrome.runtime.openOptionsPage()} />,
  document.getElementById('app')!,
);
void loading;
