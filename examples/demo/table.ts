/** Plain-text tables and optional colour for the demo transcript (no dependencies). */

const useColor = process.stdout.isTTY === true && process.env.NO_COLOR === undefined;

/** Wraps text in an ANSI colour when stdout is a terminal and NO_COLOR is unset. */
export function paint(color: 'green' | 'red' | 'yellow' | 'dim' | 'bold', text: string): string {
  if (!useColor) return text;
  const codes = { green: 32, red: 31, yellow: 33, dim: 2, bold: 1 } as const;
  return `\u001b[${codes[color]}m${text}\u001b[0m`;
}

// Visible width: ANSI escapes take no room.
const width = (s: string): number => s.replace(/\u001b\[[0-9;]*m/g, '').length;

/** Renders rows under a header, columns padded to their widest cell. */
export function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(width(h), ...rows.map((r) => width(r[i] ?? ''))));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c + ' '.repeat(Math.max(0, (widths[i] ?? 0) - width(c))))
      .join('  ')
      .trimEnd();
  const rule = widths.map((w) => '-'.repeat(w)).join('  ');
  return [line(header.map((h) => paint('bold', h))), rule, ...rows.map(line)].map((l) => `  ${l}`).join('\n');
}
