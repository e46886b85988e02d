/**
 * Splits one line of Campbell's comma-separated output into cells: strings in double quotes (a
 * doubled quote inside stands for one), numbers bare. Undefined for a quote left open. Pure.
 */
export function splitCells(line: string): string[] | undefined {
  const cells: string[] = [];
  let at = 0;
  for (;;) {
    if (line.charAt(at) === '"') {
      let cell = '';
      let from = at + 1;
      for (;;) {
        const quote = line.indexOf('"', from);
        if (quote < 0) return undefined;
        cell += line.slice(from, quote);
        if (line.charAt(quote + 1) !== '"') {
          at = quote + 1;
          break;
        }
        cell += '"';
        from = quote + 2;
      }
      cells.push(cell);
      if (at < line.length && line.charAt(at) !== ',') return undefined;
    } else {
      const comma = line.indexOf(',', at);
      const end = comma < 0 ? line.length : comma;
      cells.push(line.slice(at, end).trim());
      at = end;
    }
    if (at >= line.length) return cells;
    at += 1;
  }
}
