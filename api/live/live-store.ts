import { EventEmitter } from 'node:events';
import type {
  AlertAck,
  AlertEvent,
  AlertSilence,
  AlertTopic,
  GatewayAddress,
  Health,
  Status,
} from '../../protocol/index.js';
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
 * The in-memory live state: the last status and health of every gateway and the last event, ack and
 * silence of every alert rule. It does no I/O; an MQTT subscriber (or a test) feeds it.
 */
export class LiveStore extends EventEmitter<{ alert: [AlertEvent] }> implements LiveView {
  private readonly gatewayMap = new Map<string, GatewayLive>();
  private readonly alertMap = new Map<string, AlertEvent>();
  private readonly ackMap = new Map<string, AlertAck>();
  private readonly silenceMap = new Map<string, AlertSilence>();
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

  alert(address: AlertTopic): AlertEvent | undefined {
    return this.alertMap.get(ruleKey(address));
  }

  ack(address: AlertTopic): AlertAck | undefined {
    return this.ackMap.get(ruleKey(address));
  }

  silence(address: AlertTopic): AlertSilence | undefined {
    return this.silenceMap.get(ruleKey(address));
  }

  silences(): readonly AlertSilence[] {
    return [...this.silenceMap.values()];
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

  /** The retained ack of a rule; an older one (by its time) never replaces a newer one. */
  applyAck(ack: AlertAck): void {
    const key = ruleKey(ack);
    const previous = this.ackMap.get(key);
    if (previous === undefined || previous.time <= ack.time) this.ackMap.set(key, ack);
  }

  /** The retained silence of a rule; an older one (by its time) never replaces a newer one. */
  applySilence(silence: AlertSilence): void {
    const key = ruleKey(silence);
    const previous = this.silenceMap.get(key);
    if (previous === undefined || previous.time <= silence.time) this.silenceMap.set(key, silence);
  }

  /** The retained ack was cleared. */
  forgetAck(address: AlertTopic): void {
    this.ackMap.delete(ruleKey(address));
  }

  /** The retained silence was cleared: it is lifted. */
  forgetSilence(address: AlertTopic): void {
    this.silenceMap.delete(ruleKey(address));
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
