import { describe, expect, it } from 'vitest';
import { errorForStatus } from '../../../influx/index.js';

const WRITE = 'write 3 points to fieldstation';
const QUERY = 'query SELECT * FROM reading';

describe('errorForStatus', () => {
  it('makes a write blocked by credentials or a missing database retryable, with a hint', () => {
    expect(errorForStatus(401, 'authorization failed', WRITE)).toMatchObject({
      code: 'INFLUX_UNAUTHORIZED',
      retryable: true,
      status: 401,
      message: expect.stringContaining('FS_INFLUX_USERNAME/FS_INFLUX_PASSWORD or FS_INFLUX_TOKEN'),
    });
    expect(errorForStatus(403, '', WRITE)).toMatchObject({ code: 'INFLUX_UNAUTHORIZED', retryable: true });
    expect(errorForStatus(404, 'database not found: "fs"', WRITE)).toMatchObject({
      code: 'INFLUX_DATABASE_NOT_FOUND',
      retryable: true,
      message: expect.stringContaining('database or bucket is missing'),
    });
  });

  it('rejects a write for good only when the points themselves are at fault', () => {
    for (const status of [400, 413, 422]) {
      expect(errorForStatus(status, 'field type conflict', WRITE)).toMatchObject({
        code: 'INFLUX_WRITE_REJECTED',
        retryable: false,
        status,
      });
    }
  });

  it('retries overload and server errors', () => {
    expect(errorForStatus(429, '', WRITE)).toMatchObject({ code: 'INFLUX_OVERLOADED', retryable: true });
    expect(errorForStatus(503, '', QUERY)).toMatchObject({ code: 'INFLUX_OVERLOADED', retryable: true });
    expect(errorForStatus(500, '', WRITE)).toMatchObject({ code: 'INFLUX_UNREACHABLE', retryable: true });
  });

  it('keeps a refused query an immediate error: a request cannot wait for an operator', () => {
    expect(errorForStatus(401, '', QUERY)).toMatchObject({ code: 'INFLUX_UNAUTHORIZED', retryable: false });
    expect(errorForStatus(404, '', QUERY)).toMatchObject({
      code: 'INFLUX_DATABASE_NOT_FOUND',
      retryable: false,
    });
    expect(errorForStatus(400, 'error parsing query', QUERY)).toMatchObject({
      code: 'INFLUX_QUERY_FAILED',
      retryable: false,
    });
  });
});
