// A strict reader of the Prometheus text format (0.0.4), independent of the renderer it checks:
// every line must be a HELP, a TYPE or a sample of the family declared last.

const NAME = '[a-zA-Z_:][a-zA-Z0-9_:]*';
const HELP_LINE = new RegExp(`^# HELP (${NAME}) ((?:[^\\\\\\n]|\\\\[\\\\n])*)$`);
const TYPE_LINE = new RegExp(`^# TYPE (${NAME}) (counter|gauge|histogram|summary|untyped)$`);
const LABEL_VALUE = '"(?:[^"\\\\\\n]|\\\\[\\\\"n])*"';
const LABEL = `[a-zA-Z_][a-zA-Z0-9_]*=${LABEL_VALUE}`;
const VALUE = '(?:[-+]?(?:\\d+(?:\\.\\d*)?|\\.\\d+)(?:[eE][-+]?\\d+)?|NaN|[-+]Inf)';
const SAMPLE_LINE = new RegExp(`^(${NAME})(?:\\{((?:${LABEL})(?:,${LABEL})*)?\\})? (${VALUE})(?: -?\\d+)?$`);
const LABEL_PAIR = new RegExp(`([a-zA-Z_][a-zA-Z0-9_]*)=(${LABEL_VALUE})`, 'g');

export interface ParsedSample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export interface ParsedExposition {
  types: Map<string, string>;
  helps: Map<string, string>;
  samples: ParsedSample[];
  /** The value of the sample with exactly these labels, or undefined. */
  value(name: string, labels?: Record<string, string>): number | undefined;
}

function unquote(quoted: string): string {
  return quoted.slice(1, -1).replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));
}

function parseLabels(text: string | undefined): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const match of (text ?? '').matchAll(LABEL_PAIR)) labels[match[1] ?? ''] = unquote(match[2] ?? '""');
  return labels;
}

function sameLabels(a: Record<string, string>, b: Record<string, string>): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((key) => a[key] === b[key]);
}

/** Parses an exposition, throwing on the first line that breaks the format, with its number. */
export function parseExposition(text: string): ParsedExposition {
  if (text !== '' && !text.endsWith('\n')) throw new Error('the exposition does not end with a newline');
  const types = new Map<string, string>();
  const helps = new Map<string, string>();
  const samples: ParsedSample[] = [];
  let current: string | undefined;
  text
    .split('\n')
    .slice(0, -1)
    .forEach((line, index) => {
      const fail = (why: string) => new Error(`line ${index + 1} ${why}: ${JSON.stringify(line)}`);
      const help = HELP_LINE.exec(line);
      const type = TYPE_LINE.exec(line);
      const sample = SAMPLE_LINE.exec(line);
      if (help?.[1] !== undefined) {
        if (helps.has(help[1])) throw fail('repeats a HELP');
        helps.set(help[1], help[2] ?? '');
        current = help[1];
      } else if (type?.[1] !== undefined) {
        if (types.has(type[1])) throw fail('repeats a TYPE');
        types.set(type[1], type[2] ?? '');
        current = type[1];
      } else if (sample?.[1] !== undefined) {
        if (sample[1] !== current || !types.has(sample[1])) throw fail('is a sample outside its family');
        samples.push({ name: sample[1], labels: parseLabels(sample[2]), value: Number(sample[3]) });
      } else {
        throw fail('is not in the text format');
      }
    });
  return {
    types,
    helps,
    samples,
    value: (name, labels = {}) => samples.find((s) => s.name === name && sameLabels(s.labels, labels))?.value,
  };
}
