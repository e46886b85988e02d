import { z } from 'zod';
import {
  ConductorLoadSignalSchema,
  ConductorTensionSignalSchema,
  conductorLoadSignal,
  conductorTensionSignal,
  IceThicknessSignalSchema,
  iceThicknessSignal,
} from './icing.js';
import { CaveCo2SignalSchema, caveCo2Signal, RainResponseSignalSchema, rainResponseSignal } from './karst.js';
import {
  DiurnalSignalSchema,
  diurnalSignal,
  WindDirectionSignalSchema,
  WindSpeedSignalSchema,
  windDirectionSignal,
  windSpeedSignal,
} from './weather.js';

export const SignalSchema = z.discriminatedUnion('type', [
  DiurnalSignalSchema,
  WindSpeedSignalSchema,
  WindDirectionSignalSchema,
  CaveCo2SignalSchema,
  RainResponseSignalSchema,
  IceThicknessSignalSchema,
  ConductorTensionSignalSchema,
  ConductorLoadSignalSchema,
]);

export type Signal = z.output<typeof SignalSchema>;
export type SignalType = Signal['type'];

type SignalOf<T extends SignalType> = Extract<Signal, { type: T }>;
type SignalFunction<T extends SignalType> = (timeMs: number, seed: number, params: SignalOf<T>) => number;

const SIGNALS: { [T in SignalType]: SignalFunction<T> } = {
  diurnal: diurnalSignal,
  'wind-speed': windSpeedSignal,
  'wind-direction': windDirectionSignal,
  'cave-co2': caveCo2Signal as SignalFunction<'cave-co2'>,
  'rain-response': rainResponseSignal,
  'ice-thickness': iceThicknessSignal,
  'conductor-tension': conductorTensionSignal,
  'conductor-load': conductorLoadSignal,
};

/** The signal's value at `timeMs`: a pure function of time, seed and parameters. */
export function signalValue(signal: Signal, timeMs: number, seed: number): number {
  // The table is keyed by the same discriminant, so the lookup matches the parameters' type.
  const generate = SIGNALS[signal.type] as (timeMs: number, seed: number, params: Signal) => number;
  return generate(timeMs, seed, signal);
}
