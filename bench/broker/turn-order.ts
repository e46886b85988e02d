/**
 * The order in which the brokers take their turns in a round: each round starts one broker further
 * along (round 1 with the first, round 2 with the second, ...). Always going first is not neutral
 * on a shared machine: the first case of a QoS follows the previous QoS's last broker and the
 * drift of other processes' load between cases a minute apart, so over the rounds each broker
 * holds each place as often as the rounds allow.
 */
export function turnOrder<T>(brokers: readonly T[], round: number): T[] {
  const start = (((round - 1) % brokers.length) + brokers.length) % brokers.length;
  return [...brokers.slice(start), ...brokers.slice(0, start)];
}
