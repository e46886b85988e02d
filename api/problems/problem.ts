import { STATUS_CODES } from 'node:http';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { InfluxError } from '../../influx/index.js';
import { ApiError } from '../errors.js';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

export const ProblemSchema = z
  .object({
    type: z.string().describe('URI naming the kind of problem'),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    code: z.string().describe('stable machine-readable code, e.g. PARAMETER_INVALID'),
    errors: z.array(z.object({ parameter: z.string(), message: z.string() })).optional(),
  })
  .describe('RFC 9457 problem details');

export type Problem = z.infer<typeof ProblemSchema>;

/** Error responses every route may give. */
export const PROBLEM_RESPONSES = { '4xx': ProblemSchema, '5xx': ProblemSchema } as const;

export interface ProblemVerdict {
  problem: Problem;
  /** Server-side faults are logged with their stack; client errors are not. */
  serverFault: boolean;
}

function problem(status: number, code: string, detail: string, errors?: Problem['errors']): Problem {
  return {
    type: `urn:fieldstation:problem:${code.toLowerCase().replaceAll('_', '-')}`,
    title: STATUS_CODES[status] ?? 'Error',
    status,
    detail,
    code,
    ...(errors === undefined ? {} : { errors }),
  };
}

interface ValidationIssue {
  instancePath: string;
  message?: string | undefined;
}

function validationProblem(issues: readonly ValidationIssue[], context: string | undefined): Problem {
  const errors = issues.map((issue) => ({
    parameter: issue.instancePath.replace(/^\//, '').replaceAll('/', '.') || '(request)',
    message: issue.message ?? 'is invalid',
  }));
  const where = context === 'querystring' ? 'query parameter' : `${context ?? 'request'} field`;
  const detail = errors.map((e) => `${where} "${e.parameter}" ${e.message}`).join('; ');
  return problem(400, 'PARAMETER_INVALID', detail, errors);
}

function influxProblem(error: InfluxError): Problem {
  return error.retryable
    ? problem(503, error.code, 'the database is unreachable or overloaded; try again later')
    : problem(502, error.code, 'the database refused the query');
}

function statusOf(error: unknown): number | undefined {
  const status = (error as { statusCode?: unknown }).statusCode;
  return typeof status === 'number' && status >= 400 && status < 600 ? status : undefined;
}

/** Turns any thrown value into the problem response it deserves. */
export function problemFor(error: unknown): ProblemVerdict {
  if (hasZodFastifySchemaValidationErrors(error)) {
    const context = (error as { validationContext?: string }).validationContext;
    return { problem: validationProblem(error.validation, context), serverFault: false };
  }
  if (error instanceof ApiError) {
    const p = problem(error.statusCode, error.code, error.message);
    const { parameter, errors } = error.context;
    const withParameter =
      errors !== undefined
        ? { ...p, errors: [...errors] }
        : parameter === undefined
          ? p
          : { ...p, errors: [{ parameter, message: error.message }] };
    return { problem: withParameter, serverFault: error.statusCode >= 500 };
  }
  if (error instanceof InfluxError) return { problem: influxProblem(error), serverFault: true };
  const status = statusOf(error);
  if (status !== undefined && status < 500 && error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return {
      problem: problem(status, typeof code === 'string' ? code : 'REQUEST_INVALID', error.message),
      serverFault: false,
    };
  }
  return {
    problem: problem(500, 'INTERNAL_ERROR', 'internal error; the server log has the details'),
    serverFault: true,
  };
}
