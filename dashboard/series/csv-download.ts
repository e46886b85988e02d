import type { ApiClient } from '../api-client.js';
import { csvFileName, type SeriesRequest, seriesApiPath } from './series-request.js';

/**
 * Saves the API's own CSV of the query the plot shows, so the file holds exactly what is drawn. The
 * key must go in a header, so the file is fetched and handed to the browser as a Blob, not linked.
 */
export async function downloadCsv(api: ApiClient, request: SeriesRequest): Promise<void> {
  const response = await api.fetch(seriesApiPath(request, 'csv'), { headers: { accept: 'text/csv' } });
  const blob = await response.blob();
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = csvFileName(request);
  document.body.append(link);
  link.click();
  link.remove();
  // The click has handed the Blob to the download by the next turn.
  setTimeout(() => URL.revokeObjectURL(url), 0);
}
