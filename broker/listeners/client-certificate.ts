import { type PeerCertificate, TLSSocket } from 'node:tls';
import type { Client } from 'aedes';

/** The subject's common name, if it has exactly one; several would make the account ambiguous. */
export function commonNameOf(certificate: Partial<Pick<PeerCertificate, 'subject'>>): string | undefined {
  const name = certificate.subject?.CN;
  return typeof name === 'string' && name !== '' ? name : undefined;
}

/**
 * The common name of the certificate the client presented, if the TLS listener verified it against
 * its CA. Unverified certificates ('optional' mode lets them through) and other transports give
 * undefined: those clients log in with a password.
 */
export function verifiedCertificateName(client: Pick<Client, 'conn'>): string | undefined {
  const { conn } = client;
  if (!(conn instanceof TLSSocket) || !conn.authorized) return undefined;
  return commonNameOf(conn.getPeerCertificate());
}

export type CertificateLogin = { username: string } | { refusal: string };

/**
 * A verified certificate is the credential: its common name is the account's username, and a
 * password, if sent, is not consulted (as mosquitto's use_identity_as_username). A username in the
 * CONNECT must be that same name, so a certificate cannot be used to speak as another account.
 */
export function certificateLogin(commonName: string, username: string | undefined): CertificateLogin {
  if (username !== undefined && username !== '' && username !== commonName) {
    return { refusal: `username does not match the client certificate (${commonName})` };
  }
  return { username: commonName };
}
