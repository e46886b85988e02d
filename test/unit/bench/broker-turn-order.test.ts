import { describe, expect, it } from 'vitest';
import { turnOrder } from '../../../bench/broker/turn-order.js';

describe('turnOrder', () => {
  it('starts each round one broker further along, so each holds each place in turn', () => {
    const brokers = ['ours', 'aedes', 'mosquitto'];
    expect([1, 2, 3, 4].map((round) => turnOrder(brokers, round))).toEqual([
      ['ours', 'aedes', 'mosquitto'],
      ['aedes', 'mosquitto', 'ours'],
      ['mosquitto', 'ours', 'aedes'],
      ['ours', 'aedes', 'mosquitto'],
    ]);
  });

  it('alternates two brokers and leaves the list it was given alone', () => {
    const brokers = ['ours', 'aedes'] as const;
    expect(turnOrder(brokers, 2)).toEqual(['aedes', 'ours']);
    expect(brokers).toEqual(['ours', 'aedes']);
    expect(turnOrder(['ours'], 5)).toEqual(['ours']);
  });
});
