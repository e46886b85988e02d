import { z } from 'zod';
import { SlugSchema } from '../../../protocol/index.js';

/**
 * How a serial port is reached: the cable's settings, common to every protocol spoken over it.
 * Prefer /dev/serial/by-id/... paths: they survive replugging and reboots, /dev/ttyUSB0 does not.
 */
export const SerialTransportShape = {
  id: SlugSchema,
  path: z.string().min(1),
  baudRate: z.number().int().positive().default(9600),
  dataBits: z.union([z.literal(7), z.literal(8)]).default(8),
  parity: z.enum(['none', 'even', 'odd']).default('none'),
  stopBits: z.union([z.literal(1), z.literal(2)]).default(1),
};

export const SerialTransportSchema = z.object(SerialTransportShape);
export type SerialTransport = z.output<typeof SerialTransportSchema>;
