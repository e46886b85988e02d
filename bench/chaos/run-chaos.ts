import type { ChaosOptions } from './options.js';
import { seededRandom } from './random.js';
import { type ComponentResult, runComponent } from './run-component.js';

export interface ChaosRunOptions extends ChaosOptions {
  say: (line: string) => void;
  settleDeadlineMs?: number;
}

/** Every chosen component in turn, one seeded generator for all kill moments, so a seed replays a run. */
export async function runChaos(options: ChaosRunOptions): Promise<ComponentResult[]> {
  const random = seededRandom(options.seed);
  const results: ComponentResult[] = [];
  for (const component of options.components) {
    results.push(await runComponent(component, { ...options, random }));
  }
  return results;
}
