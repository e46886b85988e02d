import { z } from 'zod';
import { SlugSchema } from '../../../protocol/index.js';

/**
 * A serial port with a USB/serial SDI-12 adapter behind it. The adapter is assumed to be
 * transparent: it puts each ASCII command it receives (`0M!`) on the bus with the break and
 * marking the standard requires, and writes every line the sensors answer back as one text line
 * ending in CR LF, service requests included. An adapter that echoes the command is tolerated.
 */
export const Sdi12ProtocolSchema = z.strictObject({
  type: z.literal('sdi12'),
  /** How long to wait for a reply line; covers the adapter's wake-up break and its own buffering. */
  replyTimeoutMs: z.number().int().min(50).max(10_000).default(1000),
  /** How often a command is repeated after no reply or a corrupt one (the standard asks for at least 3 tries on the bus). */
  retries: z.number().int().min(0).max(5).default(2),
});

/** Measure (`M`), concurrent (`C`), and their CRC-checked variants. */
export const Sdi12CommandSchema = z.enum(['M', 'MC', 'C', 'CC']);

export const Sdi12AddressSchema = z
  .string()
  .regex(/^[0-9a-zA-Z]$/, "must be one character '0'-'9', 'a'-'z' or 'A'-'Z'");

export const Sdi12DriverConfigSchema = z
  .strictObject({
    type: z.literal('sdi12'),
    /** Id of an entry in `serialPorts` with protocol sdi12. */
    port: SlugSchema,
    address: Sdi12AddressSchema,
    command: Sdi12CommandSchema.default('M'),
    /** Which value of the measurement this sensor is: 1 for the first. */
    index: z.number().int().min(1).max(99),
  })
  .refine((driver) => driver.command.startsWith('C') || driver.index <= 9, {
    message: 'an M measurement announces at most 9 values (aM! answers atttn); use C or CC for more',
    path: ['index'],
  });

export type Sdi12Protocol = z.output<typeof Sdi12ProtocolSchema>;
export type Sdi12Command = z.output<typeof Sdi12CommandSchema>;
export type Sdi12DriverConfig = z.output<typeof Sdi12DriverConfigSchema>;
