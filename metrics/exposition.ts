import type { MetricFamily, MetricSample } from './metric-family.js';

/** The media type of the Prometheus text exposition format this module writes. */
export const EXPOSITION_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** A family or label name the text format cannot carry, or two families that claim one name. */
export class MetricFamilyError extends Error {
  readonly code = 'METRIC_INVALID';

  constructor(
    message: string,
    readonly family: string,
  ) {
    super(message);
    this.name = 'MetricFamilyError';
  }
}

// The text format escapes `\` and newline in HELP text, and `"` as well in label values.
function escapeHelp(text: string): string {
  return text.replaceAll('\\', '\\\\').replaceAll('\n', '\\n');
}

function escapeLabelValue(text: string): string {
  return text.replaceAll('\\', '\\\\').replaceAll('"', '\\"').replaceAll('\n', '\\n');
}

function formatValue(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Number.POSITIVE_INFINITY) return '+Inf';
  if (value === Number.NEGATIVE_INFINITY) return '-Inf';
  return String(value);
}

function sampleLine(family: MetricFamily, sample: MetricSample): string {
  const labels = Object.entries(sample.labels ?? {});
  for (const [name] of labels) {
    if (!LABEL_NAME.test(name) || name.startsWith('__')) {
      throw new MetricFamilyError(`label name "${name}" of ${family.name} is not valid`, family.name);
    }
  }
  const labelText =
    labels.length === 0
      ? ''
      : `{${labels.map(([name, value]) => `${name}="${escapeLabelValue(value)}"`).join(',')}}`;
  return `${family.name}${labelText} ${formatValue(sample.value)}`;
}

/**
 * Families with the same name (from different sources) become one, since the format allows a
 * name's HELP, TYPE and samples only once; their types must agree.
 */
export function mergeFamilies(families: readonly MetricFamily[]): MetricFamily[] {
  const byName = new Map<string, MetricFamily>();
  for (const family of families) {
    if (!METRIC_NAME.test(family.name)) {
      throw new MetricFamilyError(`metric name "${family.name}" is not valid`, family.name);
    }
    const known = byName.get(family.name);
    if (known === undefined) {
      byName.set(family.name, { ...family, samples: [...family.samples] });
    } else if (known.type !== family.type) {
      throw new MetricFamilyError(
        `${family.name} is reported both as ${known.type} and as ${family.type}`,
        family.name,
      );
    } else {
      byName.set(family.name, { ...known, samples: [...known.samples, ...family.samples] });
    }
  }
  return [...byName.values()];
}

/** The Prometheus text exposition (format 0.0.4) of these families, in their order. */
export function renderExposition(families: readonly MetricFamily[]): string {
  const lines: string[] = [];
  for (const family of mergeFamilies(families)) {
    lines.push(`# HELP ${family.name} ${escapeHelp(family.help)}`);
    lines.push(`# TYPE ${family.name} ${family.type}`);
    for (const sample of family.samples) lines.push(sampleLine(family, sample));
  }
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
}
