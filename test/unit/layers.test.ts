// The layout's one rule, checked on the code itself: every import in src/ points down the layer list,
// no two files import each other (directly or round a loop), and the parent process imports nothing
// from the child side but its protocol.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { importGraph, layerViolations } from '../support/layers';

/**
 * src/'s layers, top first. A file may import from its own folder and from any folder below it.
 * `child` is the code that runs in spawned processes: it imports only itself and `base`, and the
 * layers above reach it only through child/protocol.ts. docs/ARCHITECTURE.md shows the same list.
 */
export const LAYERS = ['index', 'cli', 'commands', 'schedule', 'spawn', 'report', 'measure', 'outcome', 'forensics', 'discover', 'config', 'child', 'base'];

const SRC = path.join(__dirname, '..', '..', 'src');

describe('the layout', () => {
  const graph = importGraph(SRC);

  it('reads every file of src/ and finds its imports', () => {
    expect(graph.size).toBeGreaterThan(80);
    expect(graph.get('commands/all.ts')?.length).toBeGreaterThan(5);
  });

  it('has every import pointing down the layer list, and the child side reached only through its protocol', () => {
    expect(layerViolations(graph, LAYERS)).toEqual([]);
  });

  it('puts every folder of src/ in the layer list', () => {
    const folders = fs.readdirSync(SRC, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name);
    expect(folders.filter((f) => !LAYERS.includes(f))).toEqual([]);
  });

  it('finds an upward import, an import of a child file and a cycle when there is one', () => {
    const bad = new Map([
      ['base/units.ts', ['report/verdict.ts']],
      ['report/verdict.ts', ['base/units.ts']],
      ['spawn/jest-command.ts', ['child/worker-child.ts', 'child/protocol.ts']],
      ['child/worker-child.ts', ['measure/tree-memory.ts']],
      ['measure/tree-memory.ts', ['measure/proc.ts']],
      ['measure/proc.ts', ['measure/tree-memory.ts']],
    ]);
    expect(layerViolations(bad, LAYERS)).toEqual([
      'base/units.ts imports report/verdict.ts: report is above base',
      'spawn/jest-command.ts imports child/worker-child.ts: the parent imports only child/protocol.ts from child/',
      'child/worker-child.ts imports measure/tree-memory.ts: the child side imports only child/ and base/',
      'cycle: base/units.ts → report/verdict.ts → base/units.ts',
      'cycle: measure/proc.ts → measure/tree-memory.ts → measure/proc.ts',
    ]);
  });
});
