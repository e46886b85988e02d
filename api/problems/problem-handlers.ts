import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyInstance, RawServerDefault } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Logger } from 'pino';
import { ApiError } from '../errors.js';
import { PROBLEM_CONTENT_TYPE, problemFor } from './problem.js';

/** One error handler for the whole API: every failure leaves as an RFC 9457 problem. */
export function installProblemHandlers(
  app: FastifyInstance<RawServerDefault, IncomingMessage, ServerResponse, Logger, ZodTypeProvider>,
): void {
  app.setErrorHandler((error, request, reply) => {
    const { problem, serverFault } = problemFor(error);
    if (serverFault) request.log.error({ err: error }, 'request failed');
    else request.log.info({ code: problem.code, detail: problem.detail }, 'request refused');
    return reply.code(problem.status).type(PROBLEM_CONTENT_TYPE).send(problem);
  });
  app.setNotFoundHandler((request, reply) => {
    const { problem } = problemFor(
      new ApiError('ROUTE_NOT_FOUND', `no route ${request.method} ${request.url}`, 404),
    );
    return reply.code(404).type(PROBLEM_CONTENT_TYPE).send(problem);
  });
}
