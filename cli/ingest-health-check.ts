import type { HealthCheck } from '../api/index.js';
import type { IngestService } from '../ingest/index.js';

/** The ingest's verdict (consumer connected, not stalled, spool with room) and its backlog, for /healthz. */
export function ingestHealthCheck(ingest: Pick<IngestService, 'health' | 'backlog'>): HealthCheck {
  return {
    name: 'ingest',
    check: () => {
      const backlog = ingest.backlog();
      const detail =
        backlog === undefined
          ? {}
          : { detail: { backlogBytes: backlog.bytes, backlogAgeS: backlog.ageS, spoolFull: backlog.full } };
      return { ...ingest.health(), ...detail };
    },
  };
}
