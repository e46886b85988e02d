import { isAbsolute } from 'node:path';
import { z } from 'zod';
import { SlugSchema } from '../../protocol/index.js';

/** Where a followed data file is: common to every file protocol, as the cable's settings are to ports. */
export const FileLocationShape = {
  id: SlugSchema,
  path: z.string().refine(isAbsolute, 'must be an absolute path'),
};
