import { readFileSync } from 'node:fs';
import nodemailer, { type Transporter } from 'nodemailer';
import type { Notification } from '../planning/notification.js';
import type { Contact, SmtpSettings, Subscribers } from '../subscribers/subscribers-schema.js';
import { type Channel, failure, type SendResult } from './channel.js';
import { renderEmail } from './render-message.js';

/**
 * Only a refusal of this recipient or message (5xx to RCPT or DATA) is final. Connection, TLS and
 * login failures and 4xx replies are retried: an operator can still fix a password within the hour.
 */
function retryableSmtp(error: Error & { code?: string; responseCode?: number }): boolean {
  const refusedMessage = error.code === 'EENVELOPE' || error.code === 'EMESSAGE';
  return !(refusedMessage && error.responseCode !== undefined && error.responseCode >= 500);
}

/** Email over SMTP with nodemailer; the transport is rebuilt when the smtp settings change. */
export class EmailChannel implements Channel {
  private transport: { settings: SmtpSettings; transporter: Transporter } | undefined;

  constructor(private readonly env: NodeJS.ProcessEnv = process.env) {}

  async send(notification: Notification, contact: Contact, subscribers: Subscribers): Promise<SendResult> {
    if (contact.email === undefined)
      return failure(`contact ${contact.name} has no email address any more`, false);
    const settings = subscribers.smtp;
    if (settings === undefined) return failure('the subscribers file has no smtp settings any more', false);
    let transporter: Transporter;
    try {
      transporter = this.transporter(settings);
    } catch (error) {
      return failure(error, false);
    }
    const message = renderEmail(notification, subscribers.apiUrl);
    try {
      await transporter.sendMail({
        from: settings.from,
        to: contact.email,
        subject: message.subject,
        text: message.text,
        html: message.html,
        messageId: `<${notification.id}@fieldstation>`,
        headers: { 'X-Fieldstation-Notification': notification.id },
      });
      return { ok: true };
    } catch (error) {
      const smtpError = error as Error & { code?: string; responseCode?: number };
      return failure(
        `SMTP ${settings.host}:${settings.port}: ${smtpError.message}`,
        retryableSmtp(smtpError),
      );
    }
  }

  private transporter(settings: SmtpSettings): Transporter {
    if (this.transport?.settings === settings) return this.transport.transporter;
    this.transport?.transporter.close();
    const password = settings.passwordEnv === undefined ? undefined : this.env[settings.passwordEnv];
    if (settings.passwordEnv !== undefined && password === undefined) {
      throw new Error(`the SMTP password variable ${settings.passwordEnv} is not set`);
    }
    const transporter = nodemailer.createTransport({
      host: settings.host,
      port: settings.port,
      secure: settings.security === 'tls',
      requireTLS: settings.security === 'starttls',
      ignoreTLS: settings.security === 'none',
      connectionTimeout: settings.timeoutMs,
      greetingTimeout: settings.timeoutMs,
      socketTimeout: settings.timeoutMs,
      ...(settings.user === undefined ? {} : { auth: { user: settings.user, pass: password ?? '' } }),
      ...(settings.caFile === undefined ? {} : { tls: { ca: readFileSync(settings.caFile, 'utf8') } }),
    });
    this.transport = { settings, transporter };
    return transporter;
  }

  close(): void {
    this.transport?.transporter.close();
    this.transport = undefined;
  }
}
