// @vitest-environment node
/**
 * The layer rule of docs/architecture.md ("The layer rule"), checked over the real import graph: no import cycles,
 * the contract a leaf, extension contexts apart, production code never reaching into tests or scripts, and the
 * mock world's layers importing only downwards.
 */
import { describe, expect, it } from 'vitest';
import { importCycles, importGraph } from '../../support/import-graph';

const graph = importGraph();
const edges = [...graph].flatMap(([from, targets]) => targets.map((to) => ({ from, to })));
const edgesFrom = (prefix: string) => edges.filter(({ from }) => from.startsWith(prefix));
const shown = (list: { from: string; to: string }[]) => list.map(({ from, to }) => `${from} → ${to}`);

/**
 * The mock world's layers, lowest first; a module may import its own layer and those below it. The first matching
 * rule decides.
 */
const WORLD_LAYERS: { layer: number; name: string; matches: (path: string) => boolean }[] = [
  { layer: 5, name: 'app wiring', matches: (p) => ['app.ts', 'main.ts', 'seed.ts', 'identity/site.ts'].includes(p) },
  {
    layer: 1,
    name: 'storage and shared plumbing',
    matches: (p) =>
      /^(storage|types)\//.test(p) || (/^[^/]+\.ts$/.test(p) && !/^(relying-party|backchannel-logout)\.ts$/.test(p)),
  },
  {
    layer: 3,
    name: 'identity',
    matches: (p) => /^(identity|linking|scim)\//.test(p) || /^organizations\/(deprovisioning|stores)\.ts$/.test(p),
  },
  {
    layer: 2,
    name: 'accounts and stores',
    matches: (p) =>
      /^(accounts|mailbox|organizations)\//.test(p) ||
      /^(segment|sendgrid)\/store\.ts$/.test(p) ||
      /^products\/product-(users|homes|stores)\.ts$/.test(p) ||
      p === 'access/access-requests.ts',
  },
  { layer: 4, name: 'products and the Console', matches: () => true },
];

function worldLayer(path: string): { layer: number; name: string } {
  const inside = path.slice('mock-server/'.length);
  const rule = WORLD_LAYERS.find(({ matches }) => matches(inside))!;
  return { layer: rule.layer, name: rule.name };
}

describe('the import graph', () => {
  it('has the files it should (the graph is read, not empty)', () => {
    expect(graph.get('src/background/index.ts')).toContain('src/background/router.ts');
    expect(graph.get('mock-server/app.ts')?.length).toBeGreaterThan(5);
  });

  it('has no import cycle anywhere', () => {
    expect(importCycles(graph)).toEqual([]);
  });

  it('keeps the contract a leaf: it imports only itself', () => {
    expect(shown(edgesFrom('contract/').filter(({ to }) => !to.startsWith('contract/')))).toEqual([]);
  });

  it('never lets production code import tests or scripts', () => {
    const bad = [...edgesFrom('src/'), ...edgesFrom('mock-server/')].filter(({ to }) => /^(tests|scripts)\//.test(to));
    expect(shown(bad)).toEqual([]);
  });

  it('never lets scripts import tests', () => {
    expect(shown(edgesFrom('scripts/').filter(({ to }) => to.startsWith('tests/')))).toEqual([]);
  });

  it('keeps the extension and the mock world apart: they share only the contract', () => {
    const bad = [
      ...edgesFrom('src/').filter(({ to }) => to.startsWith('mock-server/')),
      ...edgesFrom('mock-server/').filter(({ to }) => to.startsWith('src/')),
    ];
    expect(shown(bad)).toEqual([]);
  });

  it('keeps the extension contexts apart: background, content and popup meet only in src/shared and the contract', () => {
    const context = (path: string) => /^src\/(background|content|popup)\//.exec(path)?.[1];
    const bad = edgesFrom('src/').filter(({ from, to }) => context(to) !== undefined && context(to) !== context(from));
    expect(shown(bad)).toEqual([]);
  });

  it("keeps the mock world's layers one-way: contract ← storage ← accounts ← identity ← products/Console ← wiring", () => {
    const bad = edgesFrom('mock-server/')
      .filter(({ to }) => to.startsWith('mock-server/'))
      .filter(({ from, to }) => worldLayer(to).layer > worldLayer(from).layer)
      .map(({ from, to }) => `${from} (${worldLayer(from).name}) → ${to} (${worldLayer(to).name})`);
    expect(bad).toEqual([]);
  });
});
