import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { MetricSource } from '../../../metrics/index.js';
import { EXPOSITION_CONTENT_TYPE, renderExposition } from '../../../metrics/index.js';
import { stationFilter } from '../../auth/request-key.js';
import { PROBLEM_RESPONSES } from '../../problems/problem.js';
import { stationSamples } from './station-samples.js';

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
        summary:
          'Counters and gauges of this service for Prometheus; needs a technician or admin key, and a key ' +
          'limited to stations sees no sample labelled with another station',
        tags: ['health'],
        response: {
          200: { content: { 'text/plain': { schema: ExpositionSchema } } },
          ...PROBLEM_RESPONSES,
        },
      },
    },
    async (request, reply) => {
      const families = (await Promise.all(sources.map((source) => source.collect()))).flat();
      return reply
        .type(EXPOSITION_CONTENT_TYPE)
        .send(renderExposition(stationSamples(families, stationFilter(request))));
    },
  );
};
