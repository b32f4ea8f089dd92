/**
 * The e2e fixture: the mock world on the port the e2e build talks to (.env.e2e), with a fresh in-memory
 * database, and Chromium with the built extension.
 */
import { createWorld, type World } from '../../mock-server/app';
import { type ExtensionBrowser, launchWithExtension } from '../../scripts/lib/extension-browser';

/**
 * Must equal the port the e2e build was made for: VITE_WORLD_PORT in .env.e2e, unless the environment sets it
 * (for `vite build` too) so that several checkouts can run their e2e suites side by side.
 */
export const E2E_PORT = Number(process.env.VITE_WORLD_PORT || 18787);

export interface Stage {
  world: World;
  browser: ExtensionBrowser;
  close(): Promise<void>;
}

export async function startStage(): Promise<Stage> {
  const world = await createWorld({ port: E2E_PORT, db: ':memory:' });
  await world.listen();
  try {
    const browser = await launchWithExtension('dist-e2e');
    return {
      world,
      browser,
      async close() {
        await browser.close();
        await world.close();
      },
    };
  } catch (error) {
    await world.close();
    throw error;
  }
}
