// A one-pass reader of a V8 .heapsnapshot file: the DevTools "Summary" view (self size and count by
// constructor name) and the number of native contexts, without ever holding the file, or the
// snapshot's node and edge arrays, in memory. A snapshot is one JSON object laid out as
//   {"snapshot":{"meta":{…},"node_count":n,…},"nodes":[n numbers…],"edges":[…],…,"strings":["…",…]}
// and names in `nodes` are indices into `strings`, which comes last. So the reader sums the nodes
// per name index as they stream past, skips the number arrays in between, and keeps from `strings`
// only the few names the top entries need.
import * as fs from 'node:fs';
import type { SnapshotSummary, SummaryEntry } from './protocol';

interface Meta {
  node_fields: string[];
  node_types: [string[], ...unknown[]];
}

// How DevTools groups nodes that are not JS objects: their type, in parentheses.
const TYPE_GROUP: Record<string, string> = {
  hidden: '(system)',
  array: '(array)',
  string: '(string)',
  'concatenated string': '(string)',
  'sliced string': '(string)',
  code: '(compiled code)',
  closure: '(closure)',
  regexp: '(regexp)',
  number: '(number)',
  symbol: '(symbol)',
  bigint: '(bigint)',
  synthetic: '(synthetic)',
  'object shape': '(object shape)',
};
// Only these node types are summed under their own name (their name is their constructor's).
const BY_NAME = new Set(['object', 'native']);
const NATIVE_CONTEXT = 'system / NativeContext';
const DETACHED = 2;

const enum Stage {
  Header,
  Nodes,
  SeekStrings,
  Strings,
  Done,
}

const COMMA = 0x2c;
const CLOSE = 0x5d; // ]
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const ZERO = 0x30;
const NINE = 0x39;
const NODES_KEY = '"nodes":[';
const STRINGS_KEY = Buffer.from('"strings":[');

/** Reads a snapshot chunk by chunk; `feed` every chunk in order, then `finish`. */
export class SnapshotReader {
  private stage = Stage.Header;
  private header = '';
  private fieldCount = 0;
  private typeField = 0;
  private nameField = 0;
  private sizeField = 0;
  private detachedField = -1;
  private typeNames: string[] = [];
  // The node being read: its fields so far, and the number being read.
  private fields: number[] = [];
  private number = 0;
  private inNumber = false;
  // Sums per name index (object/native nodes) and per type group (everything else).
  private byName = new Map<number, { count: number; size: number }>();
  private byGroup = new Map<string, { count: number; size: number }>();
  // Hidden nodes per name index, with how many are detached: the native contexts are among them.
  private hidden = new Map<number, { count: number; detached: number }>();
  private nodeCount = 0;
  private totalSize = 0;
  // Reading `strings`.
  private seekTail = Buffer.alloc(0);
  private wanted = new Set<number>();
  private names = new Map<number, string>();
  private stringIndex = 0;
  private inString = false;
  private escaped = false;
  private collecting: Buffer[] | null = null;

  /** Takes the next chunk of the file. */
  feed(chunk: Buffer): void {
    let at = 0;
    while (at < chunk.length && this.stage !== Stage.Done) {
      switch (this.stage) {
        case Stage.Header:
          at = this.readHeader(chunk, at);
          break;
        case Stage.Nodes:
          at = this.readNodes(chunk, at);
          break;
        case Stage.SeekStrings:
          at = this.seekStrings(chunk, at);
          break;
        case Stage.Strings:
          at = this.readStrings(chunk, at);
          break;
      }
    }
  }

  /** The summary, once the whole file was fed: the top `limit` entries by self size. */
  finish(limit: number): SnapshotSummary {
    if (this.stage === Stage.Header) throw new Error('not a V8 heap snapshot: no "nodes" array');
    if (this.stage === Stage.Nodes) throw new Error('the heap snapshot ends inside its "nodes" array (cut short?)');
    const entries: Array<{ key: number | string; count: number; size: number }> = [];
    for (const [key, v] of this.byName) entries.push({ key, ...v });
    for (const [key, v] of this.byGroup) entries.push({ key, ...v });
    entries.sort((a, b) => b.size - a.size);
    const top = entries.slice(0, limit).map((e) => ({
      name: typeof e.key === 'string' ? e.key : (this.names.get(e.key) ?? `(name #${e.key})`),
      count: e.count,
      selfSizeBytes: e.size,
    }));
    let nativeContexts = 0;
    let detachedContexts = 0;
    for (const [nameIndex, v] of this.hidden) {
      if (this.names.get(nameIndex) !== NATIVE_CONTEXT) continue;
      nativeContexts += v.count;
      detachedContexts += v.detached;
    }
    return { top, nativeContexts, detachedContexts, nodeCount: this.nodeCount, totalSelfSizeBytes: this.totalSize };
  }

  private readHeader(chunk: Buffer, at: number): number {
    // The header is a small JSON object; the meta it holds says where each field sits in a node.
    const before = this.header.length;
    this.header += chunk.toString('utf8', at, Math.min(chunk.length, at + 64 * 1024));
    const found = this.header.indexOf(NODES_KEY);
    if (found < 0) {
      if (this.header.length > 1024 * 1024) throw new Error('not a V8 heap snapshot: no "nodes" array in the first MB');
      return Math.min(chunk.length, at + 64 * 1024);
    }
    const head = this.header.slice(0, found).replace(/,\s*$/, '') + '}';
    const meta = (JSON.parse(head) as { snapshot: { meta: Meta } }).snapshot.meta;
    this.fieldCount = meta.node_fields.length;
    this.typeField = meta.node_fields.indexOf('type');
    this.nameField = meta.node_fields.indexOf('name');
    this.sizeField = meta.node_fields.indexOf('self_size');
    this.detachedField = meta.node_fields.indexOf('detachedness');
    this.typeNames = meta.node_types[0];
    this.stage = Stage.Nodes;
    // Resume right after '"nodes":[' in this chunk (the header may have started in an earlier chunk).
    const consumed = Buffer.byteLength(this.header.slice(before, found + NODES_KEY.length), 'utf8');
    this.header = '';
    return at + consumed;
  }

  private readNodes(chunk: Buffer, at: number): number {
    for (let i = at; i < chunk.length; i++) {
      const c = chunk[i];
      if (c >= ZERO && c <= NINE) {
        this.number = this.number * 10 + (c - ZERO);
        this.inNumber = true;
        continue;
      }
      if (this.inNumber) {
        this.fields.push(this.number);
        this.number = 0;
        this.inNumber = false;
        if (this.fields.length === this.fieldCount) this.takeNode();
      }
      if (c === CLOSE) {
        this.stage = Stage.SeekStrings;
        return i + 1;
      }
    }
    return chunk.length;
  }

  private takeNode(): void {
    const f = this.fields;
    const type = this.typeNames[f[this.typeField]] ?? 'unknown';
    const size = f[this.sizeField];
    this.nodeCount++;
    this.totalSize += size;
    if (BY_NAME.has(type)) {
      const sum = this.byName.get(f[this.nameField]);
      if (sum) {
        sum.count++;
        sum.size += size;
      } else this.byName.set(f[this.nameField], { count: 1, size });
    } else {
      const group = TYPE_GROUP[type] ?? `(${type})`;
      const sum = this.byGroup.get(group);
      if (sum) {
        sum.count++;
        sum.size += size;
      } else this.byGroup.set(group, { count: 1, size });
      if (type === 'hidden') {
        const detached = this.detachedField >= 0 && f[this.detachedField] === DETACHED ? 1 : 0;
        const seen = this.hidden.get(f[this.nameField]);
        if (seen) {
          seen.count++;
          seen.detached += detached;
        } else this.hidden.set(f[this.nameField], { count: 1, detached });
      }
    }
    this.fields = [];
  }

  private seekStrings(chunk: Buffer, at: number): number {
    // The arrays between `nodes` and `strings` hold numbers only, so the key cannot appear inside them.
    const window = Buffer.concat([this.seekTail, chunk.subarray(at)]);
    const found = window.indexOf(STRINGS_KEY);
    if (found < 0) {
      this.seekTail = window.subarray(Math.max(0, window.length - STRINGS_KEY.length));
      return chunk.length;
    }
    this.stage = Stage.Strings;
    this.wantNames();
    const end = found + STRINGS_KEY.length - this.seekTail.length;
    this.seekTail = Buffer.alloc(0);
    return at + end;
  }

  // The names worth reading: the top candidates by size, and every hidden node's (to find the native contexts).
  private wantNames(): void {
    const bySize = [...this.byName].sort((a, b) => b[1].size - a[1].size).slice(0, 100);
    for (const [nameIndex] of bySize) this.wanted.add(nameIndex);
    for (const nameIndex of this.hidden.keys()) this.wanted.add(nameIndex);
  }

  private readStrings(chunk: Buffer, at: number): number {
    let start = at;
    for (let i = at; i < chunk.length; i++) {
      const c = chunk[i];
      if (this.inString) {
        if (this.escaped) this.escaped = false;
        else if (c === BACKSLASH) this.escaped = true;
        else if (c === QUOTE) {
          if (this.collecting) {
            this.collecting.push(chunk.subarray(start, i));
            this.names.set(this.stringIndex, JSON.parse(`"${Buffer.concat(this.collecting).toString('utf8')}"`) as string);
            this.collecting = null;
          }
          this.inString = false;
          this.stringIndex++;
        }
      } else if (c === QUOTE) {
        this.inString = true;
        start = i + 1;
        this.collecting = this.wanted.has(this.stringIndex) ? [] : null;
      } else if (c === CLOSE) {
        this.stage = Stage.Done;
        return chunk.length;
      }
    }
    // A wanted string that goes on in the next chunk: keep this part (copied: the chunk is reused).
    if (this.inString && this.collecting) this.collecting.push(Buffer.from(chunk.subarray(start)));
    return chunk.length;
  }
}

/** Summarises a snapshot file by streaming it once. */
export async function readSnapshot(file: string, limit = 10): Promise<SnapshotSummary> {
  const reader = new SnapshotReader();
  for await (const chunk of fs.createReadStream(file, { highWaterMark: 1024 * 1024 })) reader.feed(chunk as Buffer);
  return reader.finish(limit);
}
