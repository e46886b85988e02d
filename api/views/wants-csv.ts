/** Content negotiation of the routes that speak CSV too: `format` wins, then `Accept`; JSON otherwise. */
export function wantsCsv(format: 'json' | 'csv' | undefined, accept: string | undefined): boolean {
  return format === 'csv' || (format === undefined && accept !== undefined && accept.includes('text/csv'));
}
