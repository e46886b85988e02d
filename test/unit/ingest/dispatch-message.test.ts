import { describe, expect, it } from 'vitest';
import { decodeMessage, type GatewayMessage } from '../../../ingest/pipeline/decode-message.js';
import { dispatchMessage, type MessageHandlers } from '../../../ingest/pipeline/dispatch-message.js';
import type { GatewayKind } from '../../../protocol/index.js';

const bodies: Record<GatewayKind, unknown> = {
  readings: {
    v: 1,
    seq: 1,
    readings: [{ sensor: 's1', quantity: 'co2', unit: '[ppm]', value: 1, time: 1764194400000 }],
  },
  status: { v: 1, state: 'online' },
  health: {
    v: 1,
    time: 1764194400000,
    uptimeS: 1,
    outbox: { pendingMessages: 0, diskBytes: 0, droppedMessages: 0, droppedReadings: 0 },
    published: { messages: 0, readings: 0 },
    sensors: [],
  },
  meta: { v: 1, time: 1764194400000, sensors: [{ sensor: 's1', make: 'Vaisala' }] },
};

function decoded(kind: GatewayKind): GatewayMessage {
  const result = decodeMessage(`fs/v1/jinfo/gw-1/${kind}`, Buffer.from(JSON.stringify(bodies[kind])));
  if (!result.ok) throw new Error(`fixture for ${kind} does not decode: ${result.reason}`);
  return result;
}

function recordingHandlers(calls: string[]): MessageHandlers<string> {
  return {
    readings: async (message, context) => {
      calls.push(`readings seq=${message.body.seq} ${context}`);
    },
    health: async (message, context) => {
      calls.push(`health sensors=${message.body.sensors.length} ${context}`);
    },
    status: async (message, context) => {
      calls.push(`status ${message.body.state} ${context}`);
    },
    meta: async (message, context) => {
      calls.push(`meta sensors=${message.body.sensors.length} ${context}`);
    },
  };
}

describe('dispatchMessage', () => {
  it.each([
    ['readings', 'readings seq=1 ctx'],
    ['health', 'health sensors=0 ctx'],
    ['status', 'status online ctx'],
    ['meta', 'meta sensors=1 ctx'],
  ] as const)('hands a %s message, and the context, to the %s handler only', async (kind, expected) => {
    const calls: string[] = [];
    await dispatchMessage(recordingHandlers(calls), decoded(kind), 'ctx');
    expect(calls).toEqual([expected]);
  });

  it("passes the handler's rejection on, so the message stays unacknowledged", async () => {
    const failing: MessageHandlers<string> = {
      ...recordingHandlers([]),
      health: () => Promise.reject(new Error('stopped')),
    };
    await expect(dispatchMessage(failing, decoded('health'), 'ctx')).rejects.toThrow('stopped');
  });
});
