// The untested-files child: runs in the project's folder with the project's own Jest, and gives each
// file that collectCoverageFrom names but no suite loaded its empty coverage, exactly as Jest's
// coverage reporter does at the end of a run (its CoverageWorker: the project's transform with
// instrumentation, then the initial, all-zero counts). Without it, a file no test touches would be
// missing from the report instead of counted as uncovered.
//
// Spec in STRESS_RUN_UNTESTED (JSON): { jestPath, contextFile, covered, outputFile }.
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { type ContextFile, UNTESTED_ENV, type UntestedSpec } from './protocol';
import { takeChildSpec } from './child-spec';

type Worker = (request: { config: unknown; globalConfig: unknown; path: string; context: Record<string, unknown> }) => Promise<{ kind: string; coverage: unknown } | null>;

async function untested(spec: UntestedSpec): Promise<Record<string, unknown>> {
  const context = JSON.parse(fs.readFileSync(spec.contextFile, 'utf8')) as ContextFile;
  const fromJest = createRequire(spec.jestPath);
  const fromCli = createRequire(fromJest.resolve('jest-cli'));
  const fromCore = createRequire(fromCli.resolve('@jest/core'));
  // CoverageWorker is not in @jest/reporters' exports map: find it beside the package's manifest.
  const workerPath = path.join(path.dirname(fromCore.resolve('@jest/reporters/package.json')), 'build', 'CoverageWorker.js');
  const { worker } = fromCore(workerPath) as { worker: Worker };
  const covered = new Set(spec.covered);
  const out: Record<string, unknown> = {};
  for (const project of context.projects) {
    for (const file of project.coverageFrom ?? []) {
      if (covered.has(file) || file in out) continue;
      const result = await worker({ config: project.config, globalConfig: context.globalConfig, path: file, context: {} });
      if (result?.kind === 'BabelCoverage') out[file] = result.coverage;
    }
  }
  return out;
}

function main(): void {
  const spec = takeChildSpec<UntestedSpec>(UNTESTED_ENV, 'coverage');
  if (spec === null) return;
  untested(spec).then(
    (map) => {
      fs.writeFileSync(spec.outputFile, JSON.stringify(map));
      process.exit(0);
    },
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(3);
    },
  );
}

if (require.main === module) main();
