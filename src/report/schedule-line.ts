import type { Schedule } from '../base/types';
import { toMb, toSeconds } from '../base/units';

/** How the run was scheduled and what it cost, in one line: parallelism, total budget, summed peak, wall against suite time. */
export function scheduleLine(schedule: Schedule): string {
  const how =
    schedule.parallelism === 1 && schedule.totalMemoryMb === null
      ? 'one suite at a time'
      : `up to ${schedule.parallelism} suite${schedule.parallelism === 1 ? '' : 's'} at once${schedule.totalMemoryMb === null ? '' : ` within ${schedule.totalMemoryMb} MB`}`;
  const gain = schedule.wallMs > 0 && schedule.sumSuiteMs > 0 ? ` (${(schedule.sumSuiteMs / schedule.wallMs).toFixed(2)}×)` : '';
  return (
    `Schedule: ${how} · highest summed RSS of running suites ${toMb(schedule.peakConcurrentRssBytes)} MB · ` +
    `wall ${toSeconds(schedule.wallMs)} s for ${toSeconds(schedule.sumSuiteMs)} s of suite time${gain}`
  );
}
