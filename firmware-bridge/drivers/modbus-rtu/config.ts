import { z } from 'zod';
import { SlugSchema } from '../../../protocol/index.js';

/**
 * An RS-485 bus with Modbus RTU slaves on it, reached through a USB/RS-485 adapter. The cable's
 * settings (baud rate, parity, stop bits: Modbus RTU is commonly 8E1 or 8N1) are the port's own.
 */
export const ModbusRtuProtocolSchema = z.strictObject({
  type: z.literal('modbus-rtu'),
  /** How long a slave has to answer one request before it counts as silent. */
  timeoutMs: z.number().int().min(20).max(10_000).default(1000),
  /**
   * Silence kept on the bus after the last byte seen before the next request goes out. Default:
   * the standard's 3.5 character times at the port's baud rate (it fixes 1.75 ms above 19200
   * baud), and never less than 2 ms.
   */
  interFrameDelayMs: z.number().int().min(0).max(1000).optional(),
  /** How often a request is repeated after no reply, a CRC error or an unusable reply (not after an exception). */
  retries: z.number().int().min(0).max(5).default(1),
  /**
   * Adjacent registers of one unit and function read on the same interval are fetched in one
   * request of at most this many registers (2 still lets two adjacent 16-bit values share a request).
   */
  maxRegistersPerRead: z.number().int().min(2).max(125).default(32),
});

export const ModbusDataTypeSchema = z.enum(['int16', 'uint16', 'int32', 'uint32', 'float32']);

/** For 32-bit values: `big` when the register at `address` holds the high word, `little` when it holds the low word. */
export const WordOrderSchema = z.enum(['big', 'little']);

export const ModbusRtuDriverConfigSchema = z
  .strictObject({
    type: z.literal('modbus-rtu'),
    /** Id of an entry in `serialPorts` with protocol modbus-rtu. */
    port: SlugSchema,
    /** The slave's address on the bus. */
    unitId: z.number().int().min(1).max(247),
    /** 3 reads holding registers, 4 input registers. */
    function: z.union([z.literal(3), z.literal(4)], {
      error: 'expected 3 (read holding registers) or 4 (read input registers)',
    }),
    /**
     * Protocol address of the (first) register, 0-65535, as sent on the wire. Manuals that write
     * 40001 (holding) or 30001 (input) for the first register mean address 0.
     */
    address: z.number().int().min(0).max(65_535),
    dataType: ModbusDataTypeSchema,
    /** Only for 32-bit types; default big (high word first). */
    wordOrder: WordOrderSchema.optional(),
    /** Turns the register's counts into the unit the device documents: value = raw * scale + offset. */
    scale: z
      .number()
      .refine((scale) => scale !== 0, 'must not be 0')
      .default(1),
    offset: z.number().default(0),
  })
  .superRefine((driver, ctx) => {
    const wide = registerCount(driver.dataType) === 2;
    if (wide && driver.address > 65_534) {
      ctx.addIssue({
        code: 'custom',
        path: ['address'],
        message: `a ${driver.dataType} takes 2 registers: expected an address of at most 65534`,
      });
    }
    if (!wide && driver.wordOrder !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['wordOrder'],
        message: `wordOrder applies to 32-bit types only; a ${driver.dataType} is one register`,
      });
    }
  });

export type ModbusRtuProtocol = z.output<typeof ModbusRtuProtocolSchema>;
export type ModbusDataType = z.output<typeof ModbusDataTypeSchema>;
export type WordOrder = z.output<typeof WordOrderSchema>;
export type ModbusRtuDriverConfig = z.output<typeof ModbusRtuDriverConfigSchema>;
export type ReadFunction = ModbusRtuDriverConfig['function'];

/** How many 16-bit registers a value of this type takes. */
export function registerCount(dataType: ModbusDataType): 1 | 2 {
  return dataType === 'int16' || dataType === 'uint16' ? 1 : 2;
}
