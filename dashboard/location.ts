/** `#/series?station=jinfo` → the route and its parameters; anything unknown is the overview. */
export function parseLocation(hash: string): { path: string; params: URLSearchParams } {
  const [path = '', query = ''] = hash.replace(/^#\/?/, '').split('?', 2);
  return { path: path === '' ? 'overview' : path, params: new URLSearchParams(query) };
}

/** The address of a page, as links and the navigation bar write it. */
export function href(path: string, params?: URLSearchParams): string {
  const query = params === undefined ? '' : params.toString();
  return `#/${path}${query === '' ? '' : `?${query}`}`;
}
