import type { z } from 'zod';
import type { DriverFactory, DriverFile, DriverPort, DriverSensor } from './driver.js';

/** A schema with a `type` literal that a discriminated union can tell apart. */
export type TypedSchema = z.core.$ZodTypeDiscriminable;

/** One of the driver's sensors with its place in the config's `sensors`, for issue paths. */
export interface IndexedSensor<C> {
  readonly index: number;
  readonly sensor: DriverSensor<C>;
}

/** What a driver's cross-check sees of a gateway config: a small base shape, not the whole schema. */
export interface CheckView<C, P, F> {
  /** The driver's own sensors. */
  readonly sensors: readonly IndexedSensor<C>[];
  /** Every sensor of the gateway, as far as a cross-check may need it. */
  readonly allSensors: readonly { readonly id: string; readonly driver: { readonly type: string } }[];
  /** The ports speaking one of the driver's protocols, by id. */
  readonly ports: ReadonlyMap<string, DriverPort<P>>;
  /** The files written in one of the driver's file protocols, by id. */
  readonly files: ReadonlyMap<string, DriverFile<F>>;
}

type Out<S> = S extends z.core.$ZodType ? z.output<S> : never;

/**
 * Everything the gateway knows of one driver, in its own folder: the sensor part of the config, the
 * port and file protocols it reads, its cross-checks against the rest of the config, and its factory
 * behind a dynamic import, so a gateway loads only the drivers its config uses.
 */
export interface DriverModule<
  S extends TypedSchema,
  P extends readonly TypedSchema[],
  F extends readonly TypedSchema[],
> {
  /** `sensors[].driver`, with its `type` literal. */
  readonly config: S;
  /** `serialPorts[].protocol` variants the driver reads; empty for drivers without a port. */
  readonly portProtocols: P;
  /** `files[].protocol` variants the driver follows. */
  readonly fileProtocols: F;
  /** Issues that need more of the config than the sensor's own entry. */
  check?(view: CheckView<Out<S>, Out<P[number]>, Out<F[number]>>, ctx: z.RefinementCtx): void;
  load(): Promise<DriverFactory<Out<S>, Out<P[number]>, Out<F[number]>>>;
}

/** A driver module with its types forgotten: what the catalogue holds and its readers iterate over. */
export interface CatalogueEntry {
  readonly config: TypedSchema;
  readonly portProtocols: readonly TypedSchema[];
  readonly fileProtocols: readonly TypedSchema[];
  check?(view: CheckView<unknown, unknown, unknown>, ctx: z.RefinementCtx): void;
  load(): Promise<DriverFactory<unknown, unknown, unknown>>;
}

/** Declares a driver module, keeping its schemas' exact types for the config's unions. */
export function defineDriver<
  const S extends TypedSchema,
  const P extends readonly TypedSchema[],
  const F extends readonly TypedSchema[],
>(module: DriverModule<S, P, F>): DriverModule<S, P, F> {
  return module;
}

/** The `type` literals a set of protocol schemas accepts. */
export function protocolTypes(schemas: readonly TypedSchema[]): string[] {
  return schemas.flatMap((schema) => [...(schema._zod.propValues.type ?? [])].map(String));
}
