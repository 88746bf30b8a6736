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

  it('leaves ordinary command lines alone', () => {
    const line = 'node /p/node_modules/.bin/jest --runInBand --max-old-space-size=300 --require /x/probe.js suite.test.js';
    expect(maskSecrets(line)).toBe(line);
  });
});
