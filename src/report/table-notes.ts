// The notes under the table: what a reader needs to read the figures right, each said once.
import type { RunReport } from '../base/types';
import { commonFailure } from './common-failure';
import { escapeControl, writeName } from './escape';
import { wasRun } from './verdict';

/** Lines for under the table's summary: suites not run, a failure shared by every suite, cold caches, the heap cap. */
export function tableNotes(report: RunReport): string[] {
  const notes: string[] = [];
  const notRun = report.suites.filter((r) => !wasRun(r)).length;
  if (notRun) notes.push(`${notRun} suite${notRun === 1 ? '' : 's'} not run: stress-run was interrupted first.`);
  const common = commonFailure(report.suites);
  // Its lines are its own (the failure's line, then the hint): each is escaped, none is joined by an escaped \n.
  if (common) notes.push(...common.split('\n'));
  // A transformer whose cache key changes on every call: named, and no --warmup suggested for its suites (it cannot warm them).
  const neverWarm = [...new Set(report.suites.flatMap((r) => r.neverWarmTransformers ?? []))];
  for (const file of neverWarm) {
    const suites = report.suites.filter((r) => r.coldCache && r.neverWarmTransformers?.includes(file)).map((r) => writeName(r.name));
    if (!suites.length) continue;
    notes.push(`never warm: the transformer ${writeName(file)} gives a new cache key for the same file on every call (its getCacheKey), so Jest transforms every file again on every run and ${suites.length === 1 ? `${suites[0]} reads` : `${suites.length} suites read`} cold each time; --warmup cannot help: make getCacheKey depend only on the file, its content and the options.`);
  }
  const cold = report.suites.filter((r) => r.coldCache && !r.neverWarmTransformers?.length).map((r) => writeName(r.name));
  if (cold.length) {
    notes.push(`cold cache: Jest transformed files or TypeScript was compiled from source during ${cold.length === 1 ? cold[0] : `${cold.length} suites`}, so ${cold.length === 1 ? 'its figures read' : 'their figures read'} higher than with warm caches; --warmup fills the caches before measuring.`);
  }
  const byDefault = report.suites.filter((r) => r.sources?.memoryMb === 'default' || r.sources?.timeS === 'default').map((r) => writeName(r.name));
  if (byDefault.length) {
    const which = byDefault.length === 1 ? `${byDefault[0]} is` : `${byDefault.length} suites are`;
    notes.push(`${which} judged on the built-in default budget, not one the project owns: stress-run budgets <report.json> (a --json report of this run) writes measured budgets into the project's stress-run config.`);
  }
  if (report.suites.some((r) => wasRun(r) && r.heapCapMb !== null)) {
    notes.push('Peak RSS is measured under the heap cap in force (V8 collects sooner under a lower cap); --max-heap none measures as plain Jest.');
  }
  // Suite names and failure text come from files and tests: their control characters are shown as text.
  return notes.map((note) => escapeControl(note));
}
