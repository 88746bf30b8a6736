import * as fs from 'node:fs';
import { parseStatus } from './proc';

/** The summed current RSS of the given processes, read from /proc (0 where there is no /proc or the processes are gone). */
export function liveRssBytes(pids: number[]): number {
  let sum = 0;
  for (const pid of pids) {
    try {
      sum += parseStatus(fs.readFileSync(`/proc/${pid}/status`, 'latin1'))?.rssBytes ?? 0;
    } catch {
      // gone, or no /proc here
    }
  }
  return sum;
}
