import { z } from 'zod';

/** QARTOD quality flags, as used by IOOS: https://ioos.noaa.gov/project/qartod/ */
export const QcFlag = {
  pass: 1,
  notEvaluated: 2,
  suspect: 3,
  fail: 4,
  missing: 9,
} as const;

export const QcFlagSchema = z.union([
  z.literal(QcFlag.pass),
  z.literal(QcFlag.notEvaluated),
  z.literal(QcFlag.suspect),
  z.literal(QcFlag.fail),
  z.literal(QcFlag.missing),
]);

export type QcFlagValue = z.infer<typeof QcFlagSchema>;
