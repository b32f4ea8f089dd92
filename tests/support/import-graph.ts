/**
 * The import graph of the repository's own TypeScript, for the architecture test: every relative import and
 * re-export (type-only ones too, since they tie modules together just as well), resolved to a file.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';

export const ROOT = resolve(import.meta.dirname, '../..');
const SOURCE_DIRS = ['contract', 'src', 'mock-server', 'scripts', 'tests'];
const EXTENSIONS = ['.ts', '.tsx', '.mts', '.mjs', '.js'];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return EXTENSIONS.some((ext) => entry.name.endsWith(ext)) && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

function resolveSpecifier(from: string, specifier: string): string | undefined {
  const base = resolve(dirname(from), specifier);
  const stem = base.replace(/\.(ts|tsx|js|mjs)$/, '');
  for (const candidate of [
    base,
    ...EXTENSIONS.map((ext) => stem + ext),
    ...EXTENSIONS.map((e) => join(base, `index${e}`)),
  ]) {
    if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
  }
  return undefined;
}

/** Repo-relative path → the repo-relative files it imports (relative specifiers only; packages are not ours). */
export function importGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  const roots = [
    ...SOURCE_DIRS.map((dir) => join(ROOT, dir)),
    join(ROOT, 'vite.config.ts'),
    join(ROOT, 'vitest.config.ts'),
  ];
  for (const root of roots.filter((path) => existsSync(path))) {
    for (const file of statSync(root).isDirectory() ? sourceFiles(root) : [root]) {
      const { importedFiles } = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
      const targets = importedFiles
        .map((imported) => imported.fileName)
        .filter((specifier) => specifier.startsWith('.'))
        .map((specifier) => {
          const target = resolveSpecifier(file, specifier);
          if (!target) throw new Error(`${relative(ROOT, file)}: cannot resolve "${specifier}"`);
          return relative(ROOT, target);
        });
      graph.set(relative(ROOT, file), [...new Set(targets)]);
    }
  }
  return graph;
}

/** Every strongly connected set of more than one file (or a file importing itself): each is an import cycle. */
export function importCycles(graph: Map<string, string[]>): string[][] {
  // Tarjan's algorithm.
  let index = 0;
  const indices = new Map<string, number>();
  const lowlinks = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  const visit = (node: string): void => {
    indices.set(node, index);
    lowlinks.set(node, index);
    index += 1;
    stack.push(node);
    onStack.add(node);
    for (const next of graph.get(node) ?? []) {
      if (!indices.has(next)) {
        visit(next);
        lowlinks.set(node, Math.min(lowlinks.get(node)!, lowlinks.get(next)!));
      } else if (onStack.has(next)) {
        lowlinks.set(node, Math.min(lowlinks.get(node)!, indices.get(next)!));
      }
    }
    if (lowlinks.get(node) === indices.get(node)) {
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      if (component.length > 1 || (graph.get(node) ?? []).includes(node)) cycles.push(component.sort());
    }
  };
  for (const node of graph.keys()) if (!indices.has(node)) visit(node);
  return cycles;
}
