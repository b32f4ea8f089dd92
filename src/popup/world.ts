/**
 * Which mock world the popup's product links belong to. The popup checks every link against the world's origins
 * (`isAllowedDestination`), and the port of that world is a saved setting read from `storage.local` — an
 * asynchronous call the first paint must not wait for. So the popup first uses the port its snapshot was taken
 * with, and the saved port once it is read.
 */
import { BUILD_PORT, useWorldPort, WORLD_PORT } from '../shared/config';

export interface PopupWorld {
  /** The port the link checks use now. */
  current(): number;
  /** Point the link checks at the world on `port`. */
  use(port: number): void;
  /** The saved port (the options page's choice, else the built-in one). */
  configured(): Promise<number>;
}

export function popupWorld(configured: () => Promise<number> = async () => BUILD_PORT): PopupWorld {
  return { current: () => WORLD_PORT, use: useWorldPort, configured };
}
