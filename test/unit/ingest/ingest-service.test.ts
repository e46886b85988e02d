import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { AlertRulesError, IngestConfigSchema, IngestService } from '../../../ingest/index.js';
import { tempDir } from '../../harness/temp-dir.js';

const config = IngestConfigSchema.parse({
  dataDir: tempDir('fs-ingest'),
  // Nothing listens on port 9: the test proves start() fails on the rules before any connection.
  mqtt: { url: 'mqtt://127.0.0.1:9' },
  influx: { dialect: 'v1', url: 'http://127.0.0.1:9' },
  alertsFile: '/nonexistent/alerts.yaml',
});

describe('IngestService', () => {
  it('applies config defaults', () => {
    expect(config.mqtt.clientId).toBe('fs-ingest');
    expect(config.writeRetry).toEqual({ initialDelayMs: 500, maxDelayMs: 30_000, factor: 2, jitter: 0.2 });
    expect(IngestConfigSchema.safeParse({ ...config, mqtt: { url: 'localhost:1883' } }).success).toBe(false);
  });

  it('does no I/O in its constructor and reports zero stats before start', () => {
    const service = new IngestService({ config, logger: pino({ level: 'silent' }) });
    expect(service.stats()).toEqual({
      messages: 0,
      readingsAccepted: 0,
      readingConflicts: 0,
      healthAccepted: 0,
      statusAccepted: 0,
      metaAccepted: 0,
      alertActionsAccepted: 0,
      quarantined: {},
      lost: 0,
      redelivered: 0,
      alertsFired: 0,
      consumerStalls: 0,
      notOurs: 0,
      sequences: [],
      spool: undefined,
    });
  });

  it('refuses to start with an unreadable rules file, naming it', async () => {
    const service = new IngestService({ config, logger: pino({ level: 'silent' }) });
    await expect(service.start()).rejects.toThrow(AlertRulesError);
    await expect(service.start()).rejects.toThrow('/nonexistent/alerts.yaml: cannot read');
    await service.stop();
  });
});
