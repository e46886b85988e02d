import type { Component } from './options.js';
import type { ComponentResult } from './run-component.js';

/** Reported, not judged: the gateway's loss is what a kill costs until its batching sits behind its outbox. */
const REPORTED_ONLY: readonly Component[] = ['gateway'];

export function failed(result: ComponentResult): boolean {
  if (REPORTED_ONLY.includes(result.component)) return false;
  return result.lost > 0 || result.duplicated > 0;
}

const COLUMNS = [
  'component',
  'cycles',
  'produced',
  'stored',
  'lost',
  'duplicated',
  'never produced',
  'seconds',
  'verdict',
];

function verdict(result: ComponentResult): string {
  if (REPORTED_ONLY.includes(result.component)) return 'reported';
  return failed(result) ? 'FAIL' : 'ok';
}

export function renderTable(results: readonly ComponentResult[]): string {
  const rows = results.map((r) => [
    r.component,
    String(r.cycles),
    String(r.produced),
    String(r.stored),
    String(r.lost),
    String(r.duplicated),
    String(r.neverProduced),
    String(r.seconds),
    verdict(r),
  ]);
  const widths = COLUMNS.map((title, i) => Math.max(title.length, ...rows.map((row) => row[i]?.length ?? 0)));
  const line = (cells: readonly string[]) =>
    `| ${cells.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  const rule = `|${widths.map((width) => '-'.repeat(width + 2)).join('|')}|`;
  return [line(COLUMNS), rule, ...rows.map(line)].join('\n');
}
