// The setup files stress-run adds to a suite run inside Jest's sandbox, through Jest's own module
// registry, and Jest 26's registry does not resolve Node's `node:` scheme (it reads `node:path` as a
// file and every suite fails to run). Those files, and everything they import, name Node's modules bare.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { importGraph } from '../../support/layers';

const SRC = path.resolve(__dirname, '../../../src');
const SETUP_FILES = ['child/test-marks.ts', 'child/per-test-hook.ts'];

function closure(graph: Map<string, string[]>, from: string[]): string[] {
  const seen = new Set<string>();
  const visit = (file: string): void => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const next of graph.get(file) ?? []) visit(next);
  };
  from.forEach(visit);
  return [...seen].sort();
}

test('the setup files loaded in Jest’s sandbox, and what they import, use no node: module names', () => {
  const files = closure(importGraph(SRC), SETUP_FILES);
  expect(files).toEqual(expect.arrayContaining([...SETUP_FILES, 'child/protocol.ts', 'base/node-options.ts']));
  const offenders = files.flatMap((file) =>
    [...fs.readFileSync(path.join(SRC, file), 'utf8').matchAll(/(?:from\s+|require\(\s*)['"](node:[^'"]+)['"]/g)].map((m) => `${file}: ${m[1]}`),
  );
  expect(offenders).toEqual([]);
});
