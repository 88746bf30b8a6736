import { heapGrowingFlag, withoutHeapFlags } from '../../../src/base/node-options';

describe('heapGrowingFlag', () => {
  test('under a heap cap, on the Node versions it was tested on', () => {
    expect(heapGrowingFlag('v20.20.2', '--max-old-space-size=300 --require /x/probe.js')).toBe('--heap-growing-percent=300');
    expect(heapGrowingFlag('v22.1.0', '--max_old_space_size=64')).toBe('--heap-growing-percent=300');
  });

  test('never without a cap, nor on another Node', () => {
    expect(heapGrowingFlag('v20.20.2', '--require /x/probe.js')).toBeNull();
    expect(heapGrowingFlag('v20.20.2', undefined)).toBeNull();
    expect(heapGrowingFlag('v18.19.0', '--max-old-space-size=300')).toBeNull();
    expect(heapGrowingFlag('v26.0.0', '--max-old-space-size=300')).toBeNull();
  });
});

test('withoutHeapFlags keeps everything but the heap size', () => {
  expect(withoutHeapFlags('--max-old-space-size=4096 --experimental-vm-modules')).toBe('--experimental-vm-modules');
});
