import { z } from 'zod';

const PortSchema = z.number().int().min(0).max(65535);

/**
 * 'off': no client certificates are asked for. 'optional': a certificate verified against caFile
 * logs its client in as the account its common name names; clients without one use their password.
 * 'required': the TLS handshake fails without a certificate the CA signed.
 */
export const ClientCertificateModeSchema = z.enum(['off', 'optional', 'required']);
export type ClientCertificateMode = z.infer<typeof ClientCertificateModeSchema>;

/** MQTT over TLS (mqtts). Without caFile Node would trust the public CAs, so client certificates need one. */
export const TlsListenerConfigSchema = z
  .object({
    port: PortSchema,
    host: z.string().min(1).optional().describe('listen address; the broker host when absent'),
    certFile: z.string().min(1).describe('PEM server certificate (chain)'),
    keyFile: z.string().min(1).describe('PEM private key of the server certificate'),
    caFile: z.string().min(1).optional().describe('PEM CA that signs client certificates'),
    clientCertificates: ClientCertificateModeSchema.default('off'),
  })
  .strict()
  .refine((tls) => tls.clientCertificates === 'off' || tls.caFile !== undefined, {
    message: 'client certificates need caFile, the CA that signs them',
    path: ['caFile'],
  });
export type TlsListenerConfig = z.infer<typeof TlsListenerConfigSchema>;

/**
 * MQTT over WebSocket for browser dashboards, on its own HTTP server. With certFile and keyFile it
 * serves wss:// instead of ws://; clients log in with username and password.
 */
export const WebSocketListenerConfigSchema = z
  .object({
    port: PortSchema,
    host: z.string().min(1).optional().describe('listen address; the broker host when absent'),
    path: z.string().startsWith('/').default('/mqtt'),
    certFile: z.string().min(1).optional(),
    keyFile: z.string().min(1).optional(),
  })
  .strict()
  .refine((ws) => (ws.certFile === undefined) === (ws.keyFile === undefined), {
    message: 'wss needs both certFile and keyFile',
    path: ['keyFile'],
  });
export type WebSocketListenerConfig = z.infer<typeof WebSocketListenerConfigSchema>;
