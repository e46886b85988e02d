export const COMPONENTS = ['up', 'ingest', 'broker', 'influxd', 'gateway'] as const;
export type Component = (typeof COMPONENTS)[number];

export interface ChaosOptions {
  cycles: number;
  components: Component[];
  seed: number;
  /** The random moment of each kill falls this long after the component is back, under load. */
  minDelayMs: number;
  maxDelayMs: number;
}

export const USAGE = `npm run bench:chaos -- [--cycles N] [--components up,ingest,broker,influxd,gateway] [--seed S]

Kills each component with kill -9 at random moments under load, restarts it, and then compares what
every publisher produced with what InfluxDB holds. Exits 1 if a reading was lost or duplicated
(the gateway's row is reported, not judged).
  --cycles N          kills per component (default 20)
  --components LIST   which components, comma-separated (default all)
  --seed S            seed of the kill moments (default: random, printed to replay)
  --min-delay-ms MS   earliest kill after a restart (default 500)
  --max-delay-ms MS   latest kill after a restart (default 3000)
`;

export class ChaosUsageError extends Error {
  readonly code = 'CHAOS_USAGE';
}

function isComponent(name: string): name is Component {
  return (COMPONENTS as readonly string[]).includes(name);
}

function wholeNumber(flag: string, text: string | undefined, min: number): number {
  const value = Number(text);
  if (text === undefined || !Number.isInteger(value) || value < min) {
    throw new ChaosUsageError(`${flag} takes a whole number >= ${min}, not ${text ?? 'nothing'}`);
  }
  return value;
}

export function parseChaosOptions(argv: readonly string[], defaultSeed: number): ChaosOptions | 'help' {
  const options: ChaosOptions = {
    cycles: 20,
    components: [...COMPONENTS],
    seed: defaultSeed,
    minDelayMs: 500,
    maxDelayMs: 3000,
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = argv[i + 1];
    i++;
    switch (flag) {
      case '--help':
        return 'help';
      case '--cycles':
        options.cycles = wholeNumber(flag, value, 1);
        break;
      case '--seed':
        options.seed = wholeNumber(flag, value, 0);
        break;
      case '--min-delay-ms':
        options.minDelayMs = wholeNumber(flag, value, 0);
        break;
      case '--max-delay-ms':
        options.maxDelayMs = wholeNumber(flag, value, 1);
        break;
      case '--components': {
        const names = (value ?? '').split(',').filter((name) => name !== '');
        const unknown = names.filter((name) => !isComponent(name));
        if (names.length === 0 || unknown.length > 0) {
          throw new ChaosUsageError(`--components takes some of ${COMPONENTS.join(',')}, not ${value}`);
        }
        options.components = names.filter(isComponent);
        break;
      }
      default:
        throw new ChaosUsageError(`unknown argument ${flag}\n${USAGE}`);
    }
  }
  if (options.maxDelayMs <= options.minDelayMs) {
    throw new ChaosUsageError('--max-delay-ms must be above --min-delay-ms');
  }
  return options;
}
