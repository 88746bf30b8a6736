import { OutputTail } from '../../../src/outcome/output-tail';

describe('OutputTail', () => {
  it('keeps exactly the last bytes across chunks', () => {
    const tail = new OutputTail(10);
    for (const part of ['abcdef', 'ghijkl', 'mnop']) tail.push(Buffer.from(part));
    expect(tail.text()).toBe('ghijklmnop');
  });

  it('keeps a short stream whole, and a single huge chunk cut to the size', () => {
    const tail = new OutputTail(4);
    tail.push(Buffer.from('ab'));
    expect(tail.text()).toBe('ab');
    tail.push(Buffer.from('x'.repeat(100) + 'wxyz'));
    expect(tail.text()).toBe('wxyz');
  });
});
