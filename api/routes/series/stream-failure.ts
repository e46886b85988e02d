import { z } from 'zod';
import { problemFor } from '../../problems/problem.js';

export const StreamFailureSchema = z
  .object({
    code: z.string().describe('as in a problem response, e.g. INFLUX_UNREACHABLE'),
    detail: z.string(),
  })
  .describe(
    'present only when the stream failed after the 200 status line was sent: the document is still ' +
      'valid JSON, this is its last member, and the series before it are incomplete',
  );

export type StreamFailure = z.infer<typeof StreamFailureSchema>;

/** Reports a failure the client can no longer be told by a status code, and says what to append instead. */
export type FailureReport = (error: unknown) => StreamFailure;

/** The code and detail the problem response would have carried, had the status line not gone out yet. */
export function streamFailure(error: unknown): StreamFailure {
  const { problem } = problemFor(error);
  return { code: problem.code, detail: `the response is incomplete: ${problem.detail}` };
}

/** The CSV form: a comment line after the rows, so a reader that stops at `#` sees where the data broke off. */
export function csvFailureLine({ code, detail }: StreamFailure): string {
  return `# error: ${code} ${detail.replace(/[\r\n]+/g, ' ')}\r\n`;
}
