import { createHash } from 'node:crypto';

/**
 * CSP sources of the page's inline scripts (its import map, which cannot be a file), by hash: every
 * other script must come from the API itself, so markup that slipped into the page could run nothing.
 */
export function inlineScriptHashes(html: string): string[] {
  return [...html.matchAll(/<script\b[^>]*>([\s\S]*?)<\/script>/gi)].flatMap(([, body]) =>
    body === undefined || body.trim() === ''
      ? []
      : [`'sha256-${createHash('sha256').update(body, 'utf8').digest('base64')}'`],
  );
}

/**
 * The dashboard's policy: everything from the API's own origin (no CDN, as stations are often
 * offline), no plugins, and no framing, so another site cannot lay the acknowledge and silence
 * buttons under a decoy (clickjacking).
 */
export function dashboardPolicy(scriptHashes: readonly string[]): string {
  return [
    "default-src 'none'",
    ['script-src', "'self'", ...scriptHashes].join(' '),
    "style-src 'self'",
    "img-src 'self' data: blob:",
    "connect-src 'self'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** Headers of the dashboard's files; X-Frame-Options says frame-ancestors to browsers without CSP 2. */
export function dashboardHeaders(policy: string): Record<string, string> {
  return {
    'content-security-policy': policy,
    'x-frame-options': 'DENY',
    'referrer-policy': 'no-referrer',
    // The page names its modules without a version, so it must be asked for again after an upgrade.
    'cache-control': 'no-cache',
  };
}
