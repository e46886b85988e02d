import { z } from 'zod';

/** Figures a check shows beside its verdict (the ingest's backlog, say). */
export const HealthDetailSchema = z.record(z.string(), z.union([z.number(), z.string(), z.boolean()]));
export type HealthDetail = z.infer<typeof HealthDetailSchema>;

/** What a check of the embedding process reports: synchronous, so a hung dependency cannot hold up /healthz. */
export type HealthCheckResult = ({ ok: true } | { ok: false; reason: string }) & { detail?: HealthDetail };

/** A health check the process that embeds the API adds to /healthz, e.g. the ingest consumer's watchdog. */
export interface HealthCheck {
  readonly name: string;
  check(): HealthCheckResult;
}

export const HealthCheckViewSchema = z.object({
  name: z.string(),
  ok: z.boolean(),
  reason: z.string().optional().describe('why the check failed; absent when it passed'),
  detail: HealthDetailSchema.optional().describe('figures the check reports, such as the ingest backlog'),
});

export type HealthCheckView = z.infer<typeof HealthCheckViewSchema>;

function runCheck(check: HealthCheck): HealthCheckView {
  try {
    const result = check.check();
    const detail = result.detail === undefined ? {} : { detail: result.detail };
    return result.ok
      ? { name: check.name, ok: true, ...detail }
      : { name: check.name, ok: false, reason: result.reason, ...detail };
  } catch (error) {
    // A check that breaks says the part it watches is in trouble; the probe itself must still answer.
    return { name: check.name, ok: false, reason: `the check threw: ${(error as Error).message}` };
  }
}

export function runHealthChecks(checks: readonly HealthCheck[]): HealthCheckView[] {
  return checks.map(runCheck);
}
