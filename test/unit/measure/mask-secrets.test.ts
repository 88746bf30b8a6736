import { maskSecrets } from '../../../src/measure/mask-secrets';

describe('maskSecrets', () => {
  it.each([
    ['node deploy.js --token=abc123', 'node deploy.js --token=***'],
    ['node deploy.js --token abc123 --verbose', 'node deploy.js --token *** --verbose'],
    ['node x --api-key=k1 --password hunter2', 'node x --api-key=*** --password ***'],
    ['env AWS_SECRET_ACCESS_KEY=s3cr3t GITHUB_TOKEN=ghp_x node x', 'env AWS_SECRET_ACCESS_KEY=*** GITHUB_TOKEN=*** node x'],
    ['curl -H Authorization: Bearer eyJhbGci.x.y https://api', 'curl -H Authorization: Bearer *** https://api'],
    ['psql postgres://app:pa55@db:5432/x', 'psql postgres://app:***@db:5432/x'],
  ])('%s', (command, masked) => {
    expect(maskSecrets(command)).toBe(masked);
  });

  it('masks GitHub tokens standing alone, whatever carries them', () => {
    const classic = `ghp_${'A1b2C3d4E5'.repeat(3)}123456`;
    const fine = `github_pat_11ABCDEFG0${'x9Y8z7W6v5'.repeat(8)}`;
    expect(maskSecrets(`node push.js ${classic} origin`)).toBe('node push.js ghp_*** origin');
    expect(maskSecrets(`git clone https://${fine}@github.com/o/r`)).toBe('git clone https://github_pat_***@github.com/o/r');
    expect(maskSecrets(`node x "${fine}",gho_${'q'.repeat(36)}`)).toBe('node x "github_pat_***",gho_***');
  });

  it('leaves ordinary command lines alone', () => {
    const line = 'node /p/node_modules/.bin/jest --runInBand --max-old-space-size=300 --require /x/probe.js suite.test.js';
    expect(maskSecrets(line)).toBe(line);
    expect(maskSecrets('node ghp_short.js github_pat_notes.md')).toBe('node ghp_short.js github_pat_notes.md');
  });
});
