/**
 * Linux /proc readings for a chaincode process: CPU time (utime + stime) and memory
 * (VmHWM peak RSS, VmRSS). The benchmark is Linux-only for these figures.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';

let ticksPerSecond: number | undefined;

/** Clock ticks per second used by /proc/<pid>/stat (usually 100). */
export function clockTicks(): number {
  if (ticksPerSecond === undefined) {
    try {
      ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      ticksPerSecond = 100;
    }
  }
  return ticksPerSecond;
}

/** utime + stime of `pid`, in microseconds. */
export function cpuMicros(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name (field 2) may hold spaces or ')': fields are counted after the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  return ((utime + stime) * 1e6) / clockTicks();
}

/** Memory figures of `pid` in KiB from /proc/<pid>/status. */
export interface MemoryKiB {
  /** Peak resident set size (since start or the last resetPeak). */
  hwm: number;
  /** Resident set size now. */
  rss: number;
  /** Of rss: anonymous memory (heap, malloc), private to the process. */
  anon: number;
  /** Of rss: file-backed pages (mostly the node binary's code): shared with every process mapping the same file. */
  file: number;
}

/** Reads VmHWM and VmRSS of `pid`. */
export function memoryKiB(pid: number): MemoryKiB {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const field = (name: string): number => {
    const match = new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status);
    return match ? Number(match[1]) : NaN;
  };
  return { hwm: field('VmHWM'), rss: field('VmRSS'), anon: field('RssAnon'), file: field('RssFile') };
}

/**
 * Resets the peak RSS of `pid` to its current RSS (writing 5 to clear_refs, Linux >= 4.0)
 * so VmHWM describes one cell. Returns false where the kernel does not allow it; the peak
 * then covers every cell run so far in that process.
 */
export function resetPeak(pid: number): boolean {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
}
