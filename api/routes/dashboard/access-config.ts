// The API keys work (h/apikeys) declares `access` on every route's config; until it is merged this
// declares the same property, so the dashboard's routes can say they are public. Delete on merge.
declare module 'fastify' {
  interface FastifyContextConfig {
    access?: 'public' | 'reader' | 'technician' | 'admin';
  }
}

export {};
