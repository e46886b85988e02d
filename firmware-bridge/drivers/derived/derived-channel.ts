import { QcFlag, type QcFlagValue } from '../../../protocol/index.js';
import { worstFlag } from '../../qc/qartod-tests.js';
import type { DerivedDriverConfig } from './config.js';
import { type Expression, evaluate, parseExpression } from './expression.js';

/** A calibrated, flagged input value as the derived channel sees it. */
export interface DerivedInput {
  sensor: string;
  value: number;
  timeMs: number;
  qc: QcFlagValue;
}

/** A derived value, stamped with its newest input's time, and the worst of its inputs' flags. */
export interface DerivedValue {
  value: number;
  timeMs: number;
  inputQc: QcFlagValue;
}

/**
 * One derived sensor. It computes once every input has a value newer than the last computation and
 * all of them lie within maxSkewMs of each other: one derived value per round of inputs, never a
 * value built from a stale input. Failed inputs (qc 4) are not used.
 */
export class DerivedChannel {
  readonly inputSensors: ReadonlySet<string>;
  private readonly expression: Expression;
  private readonly variables: ReadonlyMap<string, string>;
  private readonly latest = new Map<string, DerivedInput>();
  private lastTimeMs = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly driver: DerivedDriverConfig,
    private readonly maxSkewMs: number,
  ) {
    this.expression = parseExpression(driver.expression);
    this.variables = new Map(Object.entries(driver.inputs));
    this.inputSensors = new Set(this.variables.values());
  }

  /** Takes one input reading; returns the derived value when this completes a round. */
  accept(input: DerivedInput): DerivedValue | undefined {
    if (!this.inputSensors.has(input.sensor) || input.qc === QcFlag.fail) return undefined;
    this.latest.set(input.sensor, input);
    const inputs = [...this.inputSensors].map((sensor) => this.latest.get(sensor));
    if (inputs.some((entry) => entry === undefined || entry.timeMs <= this.lastTimeMs)) return undefined;
    const present = inputs as DerivedInput[];
    const times = present.map((entry) => entry.timeMs);
    const newest = Math.max(...times);
    if (newest - Math.min(...times) > this.maxSkewMs) return undefined;
    this.lastTimeMs = newest;
    const values = new Map<string, number>(Object.entries(this.driver.constants));
    for (const [name, sensor] of this.variables)
      values.set(name, (this.latest.get(sensor) as DerivedInput).value);
    return {
      value: evaluate(this.expression, values),
      timeMs: newest,
      inputQc: worstFlag(present.map((entry) => entry.qc)),
    };
  }
}
