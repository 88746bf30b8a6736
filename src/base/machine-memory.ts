// The memory this run may use on this machine: the default total of --parallel's schedule and the
// default of the live memory guard, which are there for the machine, not for a verdict.
import * as os from 'node:os';
import { MB } from './units';

/** What the machine says about its memory, in bytes. */
export interface MachineMemory {
  /** process.constrainedMemory(): a container's limit; 0, undefined or a huge number when there is none. */
  constrainedBytes: number | undefined;
  /** os.freemem(). */
  freeBytes: number;
  /** os.totalmem(), used only to tell a real container limit from "no limit". */
  totalBytes: number;
}

/** The default --total-memory: 75% of what this process may use (a container's limit when set, else the free memory), in whole MB. */
export function defaultTotalMemoryMb(machine: MachineMemory): number {
  const limit = machine.constrainedBytes;
  // Without a limit Node reports 0 (or, on some versions, the largest 64-bit number).
  const usable = limit !== undefined && limit > 0 && limit < machine.totalBytes ? limit : machine.freeBytes;
  return Math.max(1, Math.floor((usable * 0.75) / MB));
}

/** The memory this run may use, in MB: `--total-memory` when given, else defaultTotalMemoryMb of this machine, now. */
export function runMemoryMb(totalMemoryMb: number | null): number {
  return totalMemoryMb ?? defaultTotalMemoryMb({ constrainedBytes: process.constrainedMemory?.(), freeBytes: os.freemem(), totalBytes: os.totalmem() });
}
