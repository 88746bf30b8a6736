// Reads src/'s imports (every `import … from`, `export … from`, `import()` and `require()` of a
// relative path) and checks them against a layer list; used by test/unit/layers.test.ts.
import * as fs from 'node:fs';
import * as path from 'node:path';

/** Every .ts file below `root` (relative, with `/`) → the files it imports (relative to `root`). */
export function importGraph(root: string): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  const walk = (dir: string): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) graph.set(toKey(root, full), importsOf(root, full));
    }
  };
  walk(root);
  return graph;
}

function toKey(root: string, file: string): string {
  return path.relative(root, file).split(path.sep).join('/');
}

function importsOf(root: string, file: string): string[] {
  const text = fs.readFileSync(file, 'utf8');
  const specs = [...text.matchAll(/(?:\bfrom\s+|\bimport\s*\(\s*|\brequire\s*\(\s*|^\s*import\s+)['"](\.{1,2}\/[^'"]+)['"]/gm)].map((m) => m[1]);
  const found: string[] = [];
  for (const spec of specs) {
    const target = path.resolve(path.dirname(file), spec);
    const hit = [`${target}.ts`, path.join(target, 'index.ts'), target].find((candidate) => fs.existsSync(candidate) && fs.statSync(candidate).isFile());
    if (hit && hit.startsWith(root)) found.push(toKey(root, hit));
  }
  return [...new Set(found)];
}

/** A file's layer: its folder, or `index` for a file at the top of src/. */
function layerOf(file: string): string {
  return file.includes('/') ? file.slice(0, file.indexOf('/')) : 'index';
}

/** Every import that breaks the layer order or the child boundary, then every cycle between files; empty when the layout holds. */
export function layerViolations(graph: Map<string, string[]>, layers: string[]): string[] {
  const problems: string[] = [];
  const rank = (file: string): number => layers.indexOf(layerOf(file));
  for (const [file, imports] of graph) {
    for (const imported of imports) {
      const from = layerOf(file);
      const to = layerOf(imported);
      if (rank(file) < 0) problems.push(`${file} is in no layer (${from})`);
      else if (from === 'child' && to !== 'child' && to !== 'base') problems.push(`${file} imports ${imported}: the child side imports only child/ and base/`);
      else if (from !== 'child' && to === 'child' && imported !== 'child/protocol.ts') problems.push(`${file} imports ${imported}: the parent imports only child/protocol.ts from child/`);
      else if (rank(imported) < rank(file)) problems.push(`${file} imports ${imported}: ${to} is above ${from}`);
    }
  }
  return [...problems, ...cycles(graph)];
}

/** Each cycle of imports once, as `a → b → a`, starting at its smallest file. */
function cycles(graph: Map<string, string[]>): string[] {
  const found = new Set<string>();
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (file: string): void => {
    state.set(file, 'open');
    stack.push(file);
    for (const next of graph.get(file) ?? []) {
      if (state.get(next) === 'open') {
        const loop = stack.slice(stack.indexOf(next));
        const start = loop.indexOf([...loop].sort()[0]);
        const ordered = [...loop.slice(start), ...loop.slice(0, start)];
        found.add(`cycle: ${[...ordered, ordered[0]].join(' → ')}`);
      } else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(file, 'done');
  };
  for (const file of [...graph.keys()].sort()) if (!state.has(file)) visit(file);
  return [...found].sort();
}
