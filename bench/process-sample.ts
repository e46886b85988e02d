import { readFile } from 'node:fs/promises';

/** One look at a process in /proc, in kB and seconds. */
export interface ProcessSample {
  /** VmRSS: resident now, anonymous and file-backed pages together. */
  residentKb: number;
  /** VmHWM: the most it was ever resident. */
  peakKb: number;
  /** RssAnon: its own memory (heaps, stacks); the rest of resident is mapped files. */
  anonymousKb: number;
  /** RssFile: pages of mapped files, mostly the node binary's code, shared with every node process. */
  fileKb: number;
  /** User and system CPU time used so far. */
  cpuSeconds: number;
}

// USER_HZ: the unit of utime and stime in /proc/PID/stat; 100 on every Linux architecture we run on.
const CLOCK_TICKS_PER_SECOND = 100;

function statusField(status: string, name: string): number {
  return Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? Number.NaN);
}

// The command name (field 2) may hold spaces and parentheses: count fields from the last ')'.
function cpuSecondsOf(stat: string): number {
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // After the name: state is field 3, utime field 14 and stime field 15 (proc(5)).
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND;
}

/** The process's memory and CPU from the kernel; undefined once it has exited. */
export async function sampleProcess(pid: number): Promise<ProcessSample | undefined> {
  const [status, stat] = await Promise.all([
    readFile(`/proc/${pid}/status`, 'utf8').catch(() => undefined),
    readFile(`/proc/${pid}/stat`, 'utf8').catch(() => undefined),
  ]);
  if (status === undefined || stat === undefined) return undefined;
  return {
    residentKb: statusField(status, 'VmRSS'),
    peakKb: statusField(status, 'VmHWM'),
    anonymousKb: statusField(status, 'RssAnon'),
    fileKb: statusField(status, 'RssFile'),
    cpuSeconds: cpuSecondsOf(stat),
  };
}
