import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { MetricSource } from '../../../metrics/index.js';
import { EXPOSITION_CONTENT_TYPE, renderExposition } from '../../../metrics/index.js';
import { PROBLEM_RESPONSES } from '../../problems/problem.js';

export interface MetricsRoutesOptions {
  sources: readonly MetricSource[];
}

const ExpositionSchema = z
  .string()
  .describe('Prometheus text exposition format 0.0.4: `# HELP` and `# TYPE` lines, then one line per sample');

export const metricsRoutes: FastifyPluginAsyncZod<MetricsRoutesOptions> = async (app, { sources }) => {
  app.get(
    '/metrics',
    {
      config: { access: 'technician' },
      schema: {
        summary: 'Counters and gauges of this service for Prometheus; needs a technician or admin key',
        tags: ['health'],
        response: {
          200: { content: { 'text/plain': { schema: ExpositionSchema } } },
          ...PROBLEM_RESPONSES,
        },
      },
    },
    async (_request, reply) =>
      reply
        .type(EXPOSITION_CONTENT_TYPE)
        .send(renderExposition(sources.flatMap((source) => source.collect()))),
  );
};
