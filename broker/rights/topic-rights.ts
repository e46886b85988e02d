import { placeholderValueProblem } from '../filter-syntax.js';
import { type Levels, levelsCoveredBy, levelsOf } from './topic-filter.js';

/** The filters of an account's rights; a deny wins over an allow. May hold %u and %c. */
export interface RightsFilters {
  publish: readonly string[];
  subscribe: readonly string[];
  denyPublish: readonly string[];
  denySubscribe: readonly string[];
}

/** Who a placeholder stands for: the connected client's username and client id. */
export interface PlaceholderValues {
  username: string;
  clientId: string;
}

const PLACEHOLDER = /%[uc]/g;
const EVERYTHING: Levels = ['#'];

/**
 * The filter with %u and %c filled in, or undefined when a value cannot stand in a filter (see
 * placeholderValueProblem). Such an allow grants nothing and such a deny denies everything.
 */
function expand(filter: string, values: PlaceholderValues): Levels | undefined {
  if (!filter.includes('%')) return levelsOf(filter);
  let usable = true;
  const expanded = filter.replace(PLACEHOLDER, (placeholder) => {
    const value = placeholder === '%u' ? values.username : values.clientId;
    if (placeholderValueProblem(value) !== undefined) usable = false;
    return value;
  });
  return usable ? levelsOf(expanded) : undefined;
}

function expandAllows(filters: readonly string[], values: PlaceholderValues): Levels[] {
  return filters.flatMap((filter) => {
    const levels = expand(filter, values);
    return levels === undefined ? [] : [levels];
  });
}

function expandDenies(filters: readonly string[], values: PlaceholderValues): Levels[] {
  return filters.map((filter) => expand(filter, values) ?? EVERYTHING);
}

/** Remembers a bounded number of answers: clients publish to and receive from few topics, again and again. */
class Answers {
  static readonly #MAX = 256;
  readonly #known = new Map<string, boolean>();
  // Most often the same topic as last time: comparing it is cheaper than hashing it.
  #lastKey: string | undefined;
  #lastAnswer = false;

  get(key: string, decide: (key: string) => boolean): boolean {
    if (key === this.#lastKey) return this.#lastAnswer;
    const answer = this.#lookUp(key, decide);
    this.#lastKey = key;
    this.#lastAnswer = answer;
    return answer;
  }

  #lookUp(key: string, decide: (key: string) => boolean): boolean {
    const known = this.#known.get(key);
    if (known !== undefined) return known;
    const answer = decide(key);
    if (this.#known.size >= Answers.#MAX) this.#known.clear();
    this.#known.set(key, answer);
    return answer;
  }
}

const anyCovers = (filters: readonly Levels[], levels: Levels): boolean =>
  filters.some((filter) => levelsCoveredBy(levels, filter));

/**
 * One client's rights, with its placeholders filled in: what it may publish, subscribe to and
 * receive. Pure; answers for topics are remembered, since a client's topics repeat.
 */
export class TopicRights {
  readonly #publish: Levels[];
  readonly #denyPublish: Levels[];
  readonly #subscribe: Levels[];
  readonly #denySubscribe: Levels[];
  readonly #published = new Answers();
  readonly #received = new Answers();

  constructor(filters: RightsFilters, values: PlaceholderValues) {
    this.#publish = expandAllows(filters.publish, values);
    this.#denyPublish = expandDenies(filters.denyPublish, values);
    this.#subscribe = expandAllows(filters.subscribe, values);
    this.#denySubscribe = expandDenies(filters.denySubscribe, values);
  }

  /** Nobody publishes to a topic starting with '$': those are the broker's ([MQTT-4.7.2-1]). */
  mayPublish(topic: string): boolean {
    return this.#published.get(topic, (key) => {
      if (key.startsWith('$')) return false;
      const levels = levelsOf(key);
      return anyCovers(this.#publish, levels) && !anyCovers(this.#denyPublish, levels);
    });
  }

  /**
   * A filter is granted when every topic it matches is allowed and not every one is denied. One
   * that reaches a denied topic only in part (`#` beside a deny of `test/nosubscribe`) is granted,
   * as mosquitto grants it, and the denied topics are held back at delivery (mayReceive).
   */
  maySubscribe(filter: string): boolean {
    const levels = levelsOf(filter);
    return anyCovers(this.#subscribe, levels) && !anyCovers(this.#denySubscribe, levels);
  }

  /** Whether a message on this topic may be delivered to the client, whatever it subscribed to. */
  mayReceive(topic: string): boolean {
    // A topic is a filter without wildcards: receivable when a subscription to it alone would be granted.
    return this.#received.get(topic, (key) => this.maySubscribe(key));
  }
}
