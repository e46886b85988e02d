import type { GatewayAddress, Reading, SensorDescription, Status } from '../../protocol/index.js';
import type { AlertRule } from './alert-rule.js';
import type { AlertStateSnapshot, SnapshotRule } from './alert-state-snapshot.js';
import { evaluatorOf } from './kinds/index.js';
import type { AlertTransition, Step, TickContext } from './kinds/kind.js';
import { ruleFingerprint } from './rule-fingerprint.js';

export interface RulesReplaced {
  /** New rules that kept the state of an identical old one. */
  kept: AlertRule[];
  /** Old rules changed or removed: their state is gone. */
  dropped: AlertRule[];
  /** `clear` for each dropped rule that was firing. */
  cleared: AlertTransition[];
}

/**
 * Holds every rule's state and runs the pure evaluators over readings, gateway statuses and clock
 * ticks. No I/O: publishing transitions is the AlertPublisher's job, saving snapshots the
 * AlertStateFile's.
 */
export class AlertEngine {
  private byStation = new Map<string, AlertRule[]>();
  private readonly states = new Map<AlertRule, unknown>();
  /** What each station's gateways announced in their status, for deadman intervals and rule checks. */
  private readonly announced = new Map<string, Map<string, readonly SensorDescription[]>>();
  /** Bumped on every state change, so the owner knows when a snapshot is due. */
  private changes = 0;

  /** `initial` carries states over a restart (snapshot or seed); other rules start quiet. */
  constructor(
    private currentRules: readonly AlertRule[],
    initial: ReadonlyMap<AlertRule, unknown> = new Map(),
  ) {
    this.index();
    for (const [rule, state] of initial) if (currentRules.includes(rule)) this.states.set(rule, state);
  }

  get rules(): readonly AlertRule[] {
    return this.currentRules;
  }

  get version(): number {
    return this.changes;
  }

  private index(): void {
    this.byStation = new Map();
    for (const rule of this.currentRules) {
      const list = this.byStation.get(rule.station) ?? [];
      list.push(rule);
      this.byStation.set(rule.station, list);
    }
  }

  private stateOf(rule: AlertRule): unknown {
    return this.states.has(rule) ? this.states.get(rule) : evaluatorOf(rule).initial(rule);
  }

  private apply(rule: AlertRule, step: Step<unknown>, into: AlertTransition[]): void {
    if (step.state !== this.states.get(rule)) {
      this.states.set(rule, step.state);
      this.changes++;
    }
    into.push(...step.transitions);
  }

  /** Transitions caused by a batch, in reading order; `receivedAt` is its arrival (ingest clock). */
  evaluate(address: GatewayAddress, readings: readonly Reading[], receivedAt?: number): AlertTransition[] {
    const rules = this.byStation.get(address.station) ?? [];
    const transitions: AlertTransition[] = [];
    for (const reading of readings) {
      const source = { address, reading, ...(receivedAt === undefined ? {} : { receivedAt }) };
      for (const rule of rules) {
        this.apply(rule, evaluatorOf(rule).reading(rule, this.stateOf(rule), source), transitions);
      }
    }
    return transitions;
  }

  /** A gateway's status: starts and ends gateway-offline clocks, tells deadman rules the intervals. */
  status(address: GatewayAddress, status: Status, receivedAt: number): AlertTransition[] {
    if (status.sensors !== undefined) {
      const gateways = this.announced.get(address.station) ?? new Map<string, readonly SensorDescription[]>();
      gateways.set(address.gateway, status.sensors);
      this.announced.set(address.station, gateways);
    }
    const transitions: AlertTransition[] = [];
    for (const rule of this.byStation.get(address.station) ?? []) {
      const update = { address, status, receivedAt };
      this.apply(rule, evaluatorOf(rule).status(rule, this.stateOf(rule), update), transitions);
    }
    return transitions;
  }

  /** Clock-driven transitions: `for` durations completed between readings, silence, offline gateways. */
  tick(context: TickContext): AlertTransition[] {
    const transitions: AlertTransition[] = [];
    for (const rule of this.currentRules) {
      this.apply(rule, evaluatorOf(rule).tick(rule, this.stateOf(rule), context), transitions);
    }
    return transitions;
  }

  /** Puts one rule in a given state (a restart's seed where the snapshot cannot be trusted). */
  setState(rule: AlertRule, state: unknown): void {
    if (!this.currentRules.includes(rule)) return;
    this.states.set(rule, state);
    this.changes++;
  }

  /** Sensors each gateway of a station announced, by gateway. */
  announcedSensors(station: string): ReadonlyMap<string, readonly SensorDescription[]> {
    return this.announced.get(station) ?? new Map();
  }

  /** Rules currently firing. */
  firing(): AlertRule[] {
    return this.currentRules.filter((rule) => evaluatorOf(rule).firing(this.stateOf(rule)));
  }

  /**
   * New rules from a reloaded file. A rule whose evaluation is unchanged (same fingerprint) keeps its
   * state, so a reload never fires or clears anything by itself; a changed or removed rule drops it
   * (its old episode belongs to a condition that no longer exists). Were such a rule firing, its
   * retained `firing` message would stay on the broker for good: it gets a `clear` saying why, and a
   * changed rule then starts afresh (and fires again if its new condition holds).
   */
  replaceRules(rules: readonly AlertRule[], now: number): RulesReplaced {
    const previous = new Map(this.currentRules.map((rule) => [ruleFingerprint(rule), rule]));
    const kept: AlertRule[] = [];
    const carried = new Map<AlertRule, unknown>();
    for (const rule of rules) {
      const old = previous.get(ruleFingerprint(rule));
      if (old === undefined) continue;
      previous.delete(ruleFingerprint(rule));
      kept.push(rule);
      if (this.states.has(old)) carried.set(rule, this.states.get(old));
    }
    const dropped = [...previous.values()];
    const cleared = dropped.flatMap((rule): AlertTransition[] => {
      const evaluator = evaluatorOf(rule);
      const state = this.stateOf(rule);
      if (!evaluator.firing(state)) return [];
      const changed = rules.some((r) => r.station === rule.station && r.id === rule.id);
      const why = changed
        ? 'rule changed in the rules file; evaluated afresh'
        : 'rule removed from the rules file';
      const text = `${rule.station} ${rule.id}: ${why}`;
      return [{ rule, state: 'clear', since: evaluator.since(state), time: now, text }];
    });
    this.states.clear();
    for (const [rule, state] of carried) this.states.set(rule, state);
    this.currentRules = rules;
    this.index();
    this.changes++;
    return { kept, dropped, cleared };
  }

  snapshot(savedAt: number): AlertStateSnapshot {
    const rules: SnapshotRule[] = [];
    for (const rule of this.currentRules) {
      if (!this.states.has(rule)) continue;
      const state = evaluatorOf(rule).toJson(this.states.get(rule));
      rules.push({ station: rule.station, id: rule.id, fingerprint: ruleFingerprint(rule), state });
    }
    const announced = [...this.announced].flatMap(([station, gateways]) =>
      [...gateways].map(([gateway, sensors]) => ({ station, gateway, sensors: [...sensors] })),
    );
    return { v: 1, savedAt, rules, announced };
  }

  /**
   * States from a snapshot, for rules whose fingerprint still matches; returns the rules restored.
   * Announced sensors come back too, so a deadman keeps its intervals before the statuses arrive again.
   */
  restore(snapshot: AlertStateSnapshot): AlertRule[] {
    const restored: AlertRule[] = [];
    // By key, not a search per saved rule: that made a start with 20,000 rules take over a minute.
    const byKey = new Map(this.currentRules.map((rule) => [`${rule.station}/${rule.id}`, rule]));
    for (const saved of snapshot.rules) {
      const rule = byKey.get(`${saved.station}/${saved.id}`);
      if (rule === undefined || ruleFingerprint(rule) !== saved.fingerprint) continue;
      const state = evaluatorOf(rule).restore(rule, saved.state);
      if (state === undefined) continue;
      this.states.set(rule, state);
      restored.push(rule);
    }
    for (const { station, gateway, sensors } of snapshot.announced) {
      const gateways = this.announced.get(station) ?? new Map<string, readonly SensorDescription[]>();
      gateways.set(gateway, sensors);
      this.announced.set(station, gateways);
    }
    return restored;
  }
}
