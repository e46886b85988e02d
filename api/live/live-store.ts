import { EventEmitter } from 'node:events';
import type { AlertEvent, AlertTopic, GatewayAddress, Health, Status } from '../../protocol/index.js';
import type { GatewayLive, LiveView } from './live-view.js';

function gatewayKey(address: GatewayAddress): string {
  return `${address.station}/${address.gateway}`;
}

function ruleKey(address: AlertTopic): string {
  return `${address.station}/${address.rule}`;
}

function emptyGateway(address: GatewayAddress): GatewayLive {
  return {
    station: address.station,
    gateway: address.gateway,
    state: 'unknown',
    since: undefined,
    software: undefined,
    sensors: [],
    health: undefined,
  };
}

function sameAlert(a: AlertEvent, b: AlertEvent): boolean {
  return a.state === b.state && a.since === b.since && a.time === b.time && a.value === b.value;
}

/**
 * The in-memory live state: the last status and health of every gateway and the last event of
 * every alert rule. It does no I/O; an MQTT subscriber (or a test) feeds it.
 */
export class LiveStore extends EventEmitter<{ alert: [AlertEvent] }> implements LiveView {
  private readonly gatewayMap = new Map<string, GatewayLive>();
  private readonly alertMap = new Map<string, AlertEvent>();
  private connected = false;

  constructor(private readonly clock: () => number = Date.now) {
    super();
  }

  gateways(): readonly GatewayLive[] {
    return [...this.gatewayMap.values()];
  }

  gateway(station: string, gateway: string): GatewayLive | undefined {
    return this.gatewayMap.get(gatewayKey({ station, gateway }));
  }

  alerts(): readonly AlertEvent[] {
    return [...this.alertMap.values()];
  }

  isConnected(): boolean {
    return this.connected;
  }

  onAlert(listener: (event: AlertEvent) => void): () => void {
    this.on('alert', listener);
    return () => {
      this.off('alert', listener);
    };
  }

  setConnected(connected: boolean): void {
    this.connected = connected;
  }

  applyStatus(address: GatewayAddress, status: Status): void {
    const key = gatewayKey(address);
    const previous = this.gatewayMap.get(key) ?? emptyGateway(address);
    const changed = previous.state !== status.state;
    this.gatewayMap.set(key, {
      ...previous,
      state: status.state,
      since: changed ? (status.time ?? this.clock()) : previous.since,
      software: status.software ?? previous.software,
      // The Last Will carries no sensor list; keep the one the gateway announced when online.
      sensors: status.sensors ?? previous.sensors,
    });
  }

  applyHealth(address: GatewayAddress, report: Health): void {
    const key = gatewayKey(address);
    const previous = this.gatewayMap.get(key) ?? emptyGateway(address);
    this.gatewayMap.set(key, { ...previous, health: { receivedAt: this.clock(), report } });
  }

  /** Records a rule's event and emits it if it tells something new (not a retained repeat). */
  applyAlert(event: AlertEvent): void {
    const key = ruleKey(event);
    const previous = this.alertMap.get(key);
    this.alertMap.set(key, event);
    if (previous === undefined || !sameAlert(previous, event)) this.emit('alert', event);
  }

  /** A retained message was cleared: the gateway is no longer announced. */
  forgetGateway(address: GatewayAddress): void {
    this.gatewayMap.delete(gatewayKey(address));
  }

  /** A retained alert was cleared: the rule was removed. */
  forgetAlert(address: AlertTopic): void {
    this.alertMap.delete(ruleKey(address));
  }
}
