import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';

/**
 * What a process has cost so far, read from Linux's /proc by another process: the gateway is
 * measured from outside, the way an operator would see it, without any code of its own.
 */

let ticksPerSecond: number | undefined;

/** The kernel's clock tick (`getconf CLK_TCK`, usually 100): the unit of /proc's CPU times. */
export function clockTicksPerSecond(): number {
  ticksPerSecond ??= Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
  if (!Number.isInteger(ticksPerSecond) || ticksPerSecond <= 0) throw new Error(`getconf CLK_TCK answered ${ticksPerSecond}`);
  return ticksPerSecond;
}

/** The smallest CPU time /proc can tell apart, in ms. */
export function cpuResolutionMs(): number {
  return 1000 / clockTicksPerSecond();
}

/**
 * CPU time used by all the process's threads so far (user + system: fields 14 and 15 of
 * /proc/<pid>/stat), in ms. The command name in field 2 may hold spaces and parentheses, so the
 * fields are counted from the last ')'.
 */
export function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // fields[0] is field 3 (state), so utime (14) and stime (15) are at 11 and 12.
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / clockTicksPerSecond();
}

/**
 * The process's peak resident memory since it started or since resetPeakResident (VmHWM): read
 * once after the work, rather than polled during it, so measuring does not slow what is measured.
 */
export function peakResidentBytes(pid: number): number {
  const match = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Number(match[1]) * 1024 : NaN;
}

/** Starts the peak over from the current size (writing 5 to clear_refs), so each organisation size gets its own peak. */
export function resetPeakResident(pid: number): void {
  writeFileSync(`/proc/${pid}/clear_refs`, '5');
}
