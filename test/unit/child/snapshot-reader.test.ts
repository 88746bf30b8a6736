import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readSnapshot, SnapshotReader } from '../../../src/child/snapshot-reader';

// A tiny snapshot in V8's layout: node fields type, name, id, self_size, edge_count, trace_node_id, detachedness.
const TYPES = ['hidden', 'array', 'string', 'object', 'code', 'closure', 'regexp', 'number', 'native', 'synthetic', 'concatenated string', 'sliced string', 'symbol', 'bigint', 'object shape'];
const t = (name: string): number => TYPES.indexOf(name);
const STRINGS = ['', 'Booking', 'system / NativeContext', 'Object', 'a "quoted"\\nname ü', 'system / Map', 'some text', 'Widget'];
const NODES = [
  [t('synthetic'), 0, 1, 0, 3, 0, 0],
  [t('object'), 1, 3, 100, 0, 0, 0],
  [t('object'), 1, 5, 100, 0, 0, 0],
  [t('object'), 1, 7, 100, 0, 0, 0],
  [t('object'), 3, 9, 50, 0, 0, 0],
  [t('string'), 6, 11, 40, 0, 0, 0],
  [t('concatenated string'), 6, 13, 30, 0, 0, 0],
  [t('hidden'), 2, 15, 20, 0, 0, 1],
  [t('hidden'), 2, 17, 20, 0, 0, 2],
  [t('hidden'), 5, 19, 8, 0, 0, 0],
  [t('native'), 4, 21, 500, 0, 0, 0],
  [t('closure'), 7, 23, 64, 0, 0, 0],
];

function snapshotText(): string {
  const meta = {
    node_fields: ['type', 'name', 'id', 'self_size', 'edge_count', 'trace_node_id', 'detachedness'],
    node_types: [TYPES, 'string', 'number', 'number', 'number', 'number', 'number'],
    edge_fields: ['type', 'name_or_index', 'to_node'],
    edge_types: [['context', 'element', 'property'], 'string_or_number', 'node'],
  };
  return (
    `{"snapshot":{"meta":${JSON.stringify(meta)},"node_count":${NODES.length},"edge_count":3},\n` +
    `"nodes":[${NODES.map((n) => n.join(',')).join('\n,')}],\n` +
    `"edges":[2,1,7\n,2,2,14\n,1,0,28],\n"trace_function_infos":[],\n"trace_tree":[],\n"samples":[],\n"locations":[0,1,2,3],\n` +
    `"strings":[${STRINGS.map((s) => JSON.stringify(s)).join('\n,')}]}`
  );
}

const EXPECTED_TOP = [
  { name: 'a "quoted"\\nname ü', count: 1, selfSizeBytes: 500 },
  { name: 'Booking', count: 3, selfSizeBytes: 300 },
  { name: '(string)', count: 2, selfSizeBytes: 70 },
  { name: '(closure)', count: 1, selfSizeBytes: 64 },
];

describe('SnapshotReader', () => {
  it('sums self size and count by constructor (DevTools groups for the rest), largest first, and counts native contexts', () => {
    const reader = new SnapshotReader();
    reader.feed(Buffer.from(snapshotText()));
    const summary = reader.finish(4);
    expect(summary.top).toEqual(EXPECTED_TOP);
    expect(summary.nativeContexts).toBe(2);
    expect(summary.detachedContexts).toBe(1);
    expect(summary.nodeCount).toBe(NODES.length);
    expect(summary.totalSelfSizeBytes).toBe(NODES.reduce((sum, n) => sum + n[3], 0));
  });

  it.each([1, 2, 3, 7, 64])('gives the same answer whatever the chunks (%i bytes each), even inside a UTF-8 character', (size) => {
    const bytes = Buffer.from(snapshotText());
    const reader = new SnapshotReader();
    for (let at = 0; at < bytes.length; at += size) reader.feed(bytes.subarray(at, at + size));
    expect(reader.finish(4).top).toEqual(EXPECTED_TOP);
  });

  it('refuses a file that is not a snapshot, or one cut short inside its nodes', () => {
    const notSnapshot = new SnapshotReader();
    notSnapshot.feed(Buffer.from('{"hello": 1}'));
    expect(() => notSnapshot.finish(10)).toThrow('not a V8 heap snapshot');
    const cut = new SnapshotReader();
    cut.feed(Buffer.from(snapshotText().slice(0, snapshotText().indexOf('"edges"') - 10)));
    expect(() => cut.finish(10)).toThrow('cut short');
  });
});

describe('readSnapshot', () => {
  it('streams a snapshot file in chunks', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stress-run-snapshot-'));
    try {
      const file = path.join(dir, 'tiny.heapsnapshot');
      fs.writeFileSync(file, snapshotText());
      const summary = await readSnapshot(file, 2);
      expect(summary.top).toEqual(EXPECTED_TOP.slice(0, 2));
      expect(summary.nativeContexts).toBe(2);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
