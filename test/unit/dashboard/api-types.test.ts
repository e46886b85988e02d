import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import type { AlertListItemSchema } from '../../../api/routes/alerts/alert-view.js';
import type { HistoryEntrySchema } from '../../../api/routes/alerts/history-rows.js';
import type { CompletenessDocument as ApiCompleteness } from '../../../api/routes/completeness/completeness-schema.js';
import type { QuarantineRecord as ApiQuarantineRecord } from '../../../api/routes/quarantine/quarantine-records.js';
import type { SeriesDocument as ApiSeriesDocument } from '../../../api/routes/series/series-schema.js';
import type { StationView as ApiStationView } from '../../../api/routes/stations/stations-schema.js';
import type {
  AlertListItem,
  CompletenessDocument,
  HistoryEntry,
  QuarantineRecord,
  SeriesDocument,
  StationView,
} from '../../../dashboard/api-types.js';

/** Compiles only if what the API's schema infers can be used where the dashboard expects its type. */
function fits<Dashboard>() {
  return <Api extends Dashboard>(_proof?: Api) => true;
}

// The checks are the typecheck (npm run typecheck compiles this file); the test only runs them.
describe("the dashboard's view of the API's JSON", () => {
  it("is what the API's zod schemas infer", () => {
    expect(fits<StationView>()<ApiStationView>()).toBe(true);
    expect(fits<SeriesDocument>()<ApiSeriesDocument>()).toBe(true);
    expect(fits<AlertListItem>()<z.infer<typeof AlertListItemSchema>>()).toBe(true);
    expect(fits<HistoryEntry>()<z.infer<typeof HistoryEntrySchema>>()).toBe(true);
    expect(fits<QuarantineRecord>()<ApiQuarantineRecord>()).toBe(true);
    expect(fits<CompletenessDocument>()<ApiCompleteness>()).toBe(true);
  });
});
