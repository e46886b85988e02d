import { readFile } from 'node:fs/promises';
import { parseDocument } from 'yaml';
import type { z } from 'zod';
import { type AlertRule, AlertRulesFileSchema } from './alert-rule.js';

export class AlertRulesError extends Error {
  readonly code = 'ALERT_RULES_INVALID';
  constructor(
    readonly file: string,
    readonly issues: readonly string[],
    options?: ErrorOptions,
  ) {
    super(`${file}: ${issues.join('; ')}`, options);
    this.name = 'AlertRulesError';
  }
}

function describe(issue: z.core.$ZodIssue): string {
  const path = issue.path.length > 0 ? issue.path.join('.') : '(file)';
  return `${path}: ${issue.message}`;
}

/** Parses a rules file's text (YAML, or JSON, which is YAML too); `file` names it in errors. */
export function parseAlertRules(text: string, file: string): readonly AlertRule[] {
  const document = parseDocument(text, { prettyErrors: false });
  if (document.errors.length > 0) {
    throw new AlertRulesError(
      file,
      document.errors.map((error) => `line ${(error.linePos?.[0].line ?? 0).toString()}: ${error.message}`),
    );
  }
  const parsed = AlertRulesFileSchema.safeParse(document.toJS());
  if (!parsed.success) throw new AlertRulesError(file, parsed.error.issues.map(describe));
  return Object.freeze(parsed.data.rules);
}

export async function loadAlertRules(file: string): Promise<readonly AlertRule[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new AlertRulesError(file, [`cannot read: ${(error as Error).message}`], { cause: error });
  }
  return parseAlertRules(text, file);
}
