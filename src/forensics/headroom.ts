// Heap caps close to a suite's heap floor: a previous report from `stress-run floor` (the run
// history) says how much heap each suite needs; a cap within 20% of that fails on the next bit of growth.
import type { RunReport } from '../base/types';

/** Below this cap ÷ floor, a suite is one small change away from running out of heap. */
export const MIN_HEADROOM = 1.2;

/** One warning per suite of `report` whose heap cap is under MIN_HEADROOM × the floor `history` found for it. */
export function headroomWarnings(report: RunReport, history: RunReport, source: string): string[] {
  const floors = new Map(history.suites.filter((s) => typeof s.heapFloorMb === 'number').map((s) => [s.name, s.heapFloorMb as number]));
  const warnings: string[] = [];
  for (const s of report.suites) {
    const floor = floors.get(s.name);
    if (floor === undefined || s.heapCapMb === null) continue;
    const ratio = s.heapCapMb / floor;
    if (ratio >= MIN_HEADROOM) continue;
    const where = `its heap floor of ${floor} MB (${source})`;
    warnings.push(
      ratio < 1
        ? `${s.name}: its heap cap of ${s.heapCapMb} MB is under ${where}: expect it to run out of heap. Raise its memory budget or --max-heap.`
        : `${s.name}: its heap cap of ${s.heapCapMb} MB is only ${ratio.toFixed(2)}× ${where}: a little more heap use and it runs out. Give it at least ${Math.ceil(floor * MIN_HEADROOM)} MB.`,
    );
  }
  return warnings;
}
