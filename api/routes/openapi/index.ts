import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';

const OpenApiDocumentSchema = z.looseObject({
  openapi: z.string(),
  info: z.looseObject({ title: z.string(), version: z.string() }),
  paths: z.record(z.string(), z.unknown()),
});

export const openApiRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/openapi.json',
    {
      config: { access: 'reader' },
      schema: {
        summary: 'This document',
        tags: ['meta'],
        response: { 200: OpenApiDocumentSchema },
      },
    },
    async () => OpenApiDocumentSchema.parse(app.swagger()),
  );
};
