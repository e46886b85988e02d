import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { type EventLoopUtilization, performance } from 'node:perf_hooks';
import type { LoadProcess } from './load-process.js';

/** The broker's thread, as far as CPU accounting needs it. */
export interface BrokerLoop {
  loopUtilization(since?: EventLoopUtilization): EventLoopUtilization | undefined;
}

/** Where the CPU went during a phase; `cores` figures are CPU seconds per wall-clock second. */
export interface CpuUsage {
  wallMs: number;
  /** The process under test, all threads (broker, ingest, measurement, GC, libuv pool). */
  nodeCores: number;
  /** Share of wall time its main thread's event loop was busy (ingest + measurement). */
  mainLoopBusy: number;
  /** Share of wall time the broker thread's event loop was busy; undefined if the thread was not running throughout. */
  brokerLoopBusy: number | undefined;
  /** The load process (the gateway clients); undefined without /proc. */
  loadCores: number | undefined;
  /** The private influxd; undefined with a given InfluxDB or without /proc. */
  influxdCores: number | undefined;
  /** Whole machine: share of all cores' time not idle. */
  machineBusy: number;
  /** Cores used by everything else on the machine (other processes, the kernel): contention. */
  otherCores: number | undefined;
}

export interface CpuSnapshot {
  at: number;
  process: NodeJS.CpuUsage;
  mainLoop: EventLoopUtilization;
  brokerLoop: EventLoopUtilization | undefined;
  loadSeconds: number | undefined;
  influxdSeconds: number | undefined;
  machine: { busy: number; total: number };
}

export function clockTicksPerSecond(): number {
  const answer = spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' });
  const ticks = Number.parseInt(answer.stdout ?? '', 10);
  return Number.isInteger(ticks) && ticks > 0 ? ticks : 100;
}

/** User and system CPU seconds of a process, from /proc/<pid>/stat (utime and stime, fields 14 and 15, counted after the `(comm)`). */
export function processTimes(
  pid: number | undefined,
  ticksPerSecond: number,
): { user: number; system: number } | undefined {
  if (pid === undefined) return undefined;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const user = Number(fields[11]) / ticksPerSecond;
    const system = Number(fields[12]) / ticksPerSecond;
    return Number.isFinite(user) && Number.isFinite(system) ? { user, system } : undefined;
  } catch {
    return undefined;
  }
}

/** utime + stime of a process, in seconds. */
export function processSeconds(pid: number | undefined, ticksPerSecond: number): number | undefined {
  const times = processTimes(pid, ticksPerSecond);
  return times === undefined ? undefined : times.user + times.system;
}

export function machineTimes(): { busy: number; total: number } {
  let busy = 0;
  let total = 0;
  for (const cpu of cpus()) {
    const { user, nice, sys, idle, irq } = cpu.times;
    busy += user + nice + sys + irq;
    total += user + nice + sys + idle + irq;
  }
  return { busy, total };
}

/** Samples CPU use of the parts at the start and end of a phase. */
export class CpuMeter {
  private readonly ticksPerSecond = clockTicksPerSecond();

  constructor(
    private readonly influxdPid: number | undefined,
    private readonly load: LoadProcess,
    private readonly broker: BrokerLoop,
  ) {}

  start(): CpuSnapshot {
    return {
      at: performance.now(),
      process: process.cpuUsage(),
      mainLoop: performance.eventLoopUtilization(),
      brokerLoop: this.broker.loopUtilization(),
      loadSeconds: processSeconds(this.load.pid, this.ticksPerSecond),
      influxdSeconds: processSeconds(this.influxdPid, this.ticksPerSecond),
      machine: machineTimes(),
    };
  }

  finish(start: CpuSnapshot): CpuUsage {
    const wallMs = performance.now() - start.at;
    const used = process.cpuUsage(start.process);
    const influxdNow = processSeconds(this.influxdPid, this.ticksPerSecond);
    const loadNow = processSeconds(this.load.pid, this.ticksPerSecond);
    const machine = machineTimes();
    const machineTotal = machine.total - start.machine.total;
    const machineBusy = machineTotal > 0 ? (machine.busy - start.machine.busy) / machineTotal : 0;
    const nodeCores = (used.user + used.system) / 1000 / wallMs;
    const coresOf = (now: number | undefined, then: number | undefined): number | undefined =>
      now !== undefined && then !== undefined ? ((now - then) * 1000) / wallMs : undefined;
    const influxdCores = coresOf(influxdNow, start.influxdSeconds);
    const loadCores = coresOf(loadNow, start.loadSeconds);
    return {
      wallMs,
      nodeCores,
      mainLoopBusy: performance.eventLoopUtilization(start.mainLoop).utilization,
      brokerLoopBusy:
        start.brokerLoop === undefined
          ? undefined
          : this.broker.loopUtilization(start.brokerLoop)?.utilization,
      loadCores,
      influxdCores,
      machineBusy,
      otherCores:
        influxdCores === undefined
          ? undefined
          : Math.max(0, machineBusy * cpus().length - nodeCores - influxdCores - (loadCores ?? 0)),
    };
  }
}
