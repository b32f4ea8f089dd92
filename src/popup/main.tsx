/**
 * Popup entry: builds the model on the real messaging, paints, renders, then asks the background. Nothing is
 * awaited before the first render: the snapshot paints synchronously (its view straight into the page, see
 * first-paint.tsx), and the saved world port is read beside the background's answer (see world.ts).
 */
import { render } from 'preact';
import { SWITCHER_CHANGED } from '../../contract/messages';
import { BUILD_PORT, isAllowedDestination } from '../shared/config';
import { sendMessage } from '../shared/send-message';
import { loadWorldPort } from '../shared/world-settings';
import { App } from './components/App';
import { paintView, snapshotView } from './first-paint';
import { createPopupModel } from './model';
import { createSnapshotStore } from './snapshot';
import { popupWorld } from './world';
import './popup.css';

function openInTab(url: string): void {
  if (!isAllowedDestination(url)) return;
  void chrome.tabs.create({ url }).then(async () => {
    // Close the toolbar popup; leave the page alone when it is open in a tab (keyboard users, tests).
    if (!(await chrome.tabs.getCurrent())) window.close();
  });
}

const world = popupWorld(() => loadWorldPort(chrome.storage.local).catch(() => BUILD_PORT));
const snapshots = createSnapshotStore(localStorage, snapshotView);
const model = createPopupModel(sendMessage, snapshots, world);
// The snapshot first, so the very first render already shows the signed-in view.
const view = model.paint()?.view;
const app = document.getElementById('app')!;
const mount = () =>
  render(<App model={model} onOpen={openInTab} onSettings={() => void chrome.runtime.openOptionsPage()} />, app);

/** How often an open popup asks whether the session still lives (see `check`). */
const CHECK_EVERY_MS = 5000;

function start(): void {
  void model.confirm();
  setInterval(() => {
    if (document.visibilityState === 'visible') void model.check();
  }, CHECK_EVERY_MS);
  // The background's notice that the state changed (e.g. the Twilio session ended in a tab): show it while open.
  chrome.runtime.onMessage.addListener((message: unknown, sender) => {
    if (sender.id !== chrome.runtime.id || sender.tab) return;
    if ((message as { type?: unknown } | null)?.type === SWITCHER_CHANGED) void model.sync();
  });
}

// The first use of the extension APIs sets them up (a few milliseconds): with the snapshot on screen that waits
// until it is painted (the frame after this one); with nothing to show yet, the background is asked at once.
// With the snapshot's view on screen, Preact's render waits for that frame too.
const afterFirstFrame = (task: () => void) => requestAnimationFrame(() => setTimeout(task, 0));
if (view && paintView(app, view)) {
  afterFirstFrame(() => {
    mount();
    start();
  });
} else {
  mount();
  if (model.status.value === 'signed_in') afterFirstFrame(start);
  else start();
}
