/** A real mock world on a free loopback port, an in-memory database and a clock the test moves. */
import { afterAll } from 'vitest';
import { createWorld, type World } from '../../mock-server/app';
import { freePort } from '../../mock-server/net';

export interface TestWorld extends World {
  /** Moves the world's injected clock forward. */
  advance(ms: number): void;
}

export async function startWorld({ db = ':memory:' }: { db?: string } = {}): Promise<TestWorld> {
  let offset = 0;
  const port = await freePort();
  const world = await createWorld({ port, db, clock: () => Date.now() + offset });
  await world.listen();
  return Object.assign(world, {
    advance(ms: number) {
      offset += ms;
    },
  });
}

/** Starts a world for the file and closes it after the file's tests. */
export async function worldForFile(): Promise<TestWorld> {
  const world = await startWorld();
  afterAll(() => world.close());
  return world;
}

export const ADA = { email: 'ada@example.com', password: 'demo-pass-2026' };
export const DAN = { email: 'dan@example.com', password: 'demo-pass-2026' };
export const EVE_EMAIL = 'eve@example.com';
