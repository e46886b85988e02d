import { readFile } from 'node:fs/promises';
import { parseDocument } from 'yaml';
import type { z } from 'zod';
import { type Subscribers, SubscribersFileSchema } from './subscribers-schema.js';

export class SubscribersError extends Error {
  readonly code = 'SUBSCRIBERS_INVALID';
  constructor(
    readonly file: string,
    readonly issues: readonly string[],
    options?: ErrorOptions,
  ) {
    super(`${file}: ${issues.join('; ')}`, options);
    this.name = 'SubscribersError';
  }
}

function describe(issue: z.core.$ZodIssue): string {
  const path = issue.path.length > 0 ? issue.path.join('.') : '(file)';
  return `${path}: ${issue.message}`;
}

/** Parses a subscribers file's text (YAML or JSON); `file` names it in errors. */
export function parseSubscribers(text: string, file: string): Subscribers {
  const document = parseDocument(text, { prettyErrors: false });
  if (document.errors.length > 0) {
    throw new SubscribersError(
      file,
      document.errors.map((error) => `line ${(error.linePos?.[0].line ?? 0).toString()}: ${error.message}`),
    );
  }
  const parsed = SubscribersFileSchema.safeParse(document.toJS());
  if (!parsed.success) throw new SubscribersError(file, parsed.error.issues.map(describe));
  return Object.freeze(parsed.data);
}

export async function loadSubscribers(file: string): Promise<Subscribers> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new SubscribersError(file, [`cannot read: ${(error as Error).message}`], { cause: error });
  }
  return parseSubscribers(text, file);
}
