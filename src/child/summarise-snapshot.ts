// The child entry point that summarises one heap snapshot: `node --max-old-space-size=N
// summarise-snapshot.js <file> [limit]` prints the summary as one JSON line on stdout. It runs in
// a process of its own, with its own heap cap, so a huge snapshot can never take stress-run down.
import { readSnapshot } from './snapshot-reader';

async function summarise(): Promise<void> {
  const [file, limit] = process.argv.slice(2);
  if (!file) {
    process.stderr.write('usage: summarise-snapshot <file.heapsnapshot> [limit]\n');
    process.exitCode = 2;
    return;
  }
  try {
    const summary = await readSnapshot(file, limit ? Number(limit) : 10);
    process.stdout.write(JSON.stringify(summary) + '\n');
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  }
}

if (require.main === module) void summarise();
