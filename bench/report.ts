import type { Figure } from './load.js';

export interface Row {
  /** What is measured: `cloudmc get`, `glance list (first page) @100000` ... */
  scenario: string;
  server: string;
  figure: Figure;
  /** Ratio of capacity (1 / CPU per request) to the bare node:http server and to the Express floor, same bytes. */
  vsBare?: number;
  vsExpress?: number;
  note?: string;
}

export interface Check {
  target: string;
  value: string;
  ok: boolean;
}

const pad = (s: string, n: number) => (s.length >= n ? s : s + ' '.repeat(n - s.length));
const lpad = (s: string, n: number) => (s.length >= n ? s : ' '.repeat(n - s.length) + s);
export const ratio = (a: number, b: number) => (b > 0 ? Math.round((a / b) * 100) / 100 : 0);

export function printRows(title: string, rows: Row[]): void {
  const header = [
    'scenario',
    'server',
    'req/s',
    'p50 ms',
    'p99 ms',
    'CPU µs/req',
    '×bare',
    '×express',
    'runs (req/s)',
  ];
  const table = rows.map((r) => [
    r.scenario,
    r.server,
    String(r.figure.rps),
    String(r.figure.p50),
    String(r.figure.p99),
    r.figure.cpuUs ? r.figure.cpuUs.toFixed(1) : '',
    r.vsBare === undefined ? '' : r.vsBare.toFixed(2),
    r.vsExpress === undefined ? '' : r.vsExpress.toFixed(2),
    r.figure.runs.join(' ') +
      (r.figure.failures ? `  !! ${r.figure.failures} failed requests` : '') +
      (r.note ? `  ${r.note}` : ''),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...table.map((row) => row[i]!.length)));
  const numeric = new Set([2, 3, 4, 5, 6, 7]);
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (numeric.has(i) ? lpad(c, widths[i]!) : pad(c, widths[i]!)))
      .join('  ')
      .trimEnd();
  console.log(`\n${title}`);
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const row of table) console.log(line(row));
}

export function printChecks(checks: Check[]): void {
  console.log('\nTargets');
  for (const c of checks) console.log(`  ${c.ok ? 'MET   ' : 'MISSED'}  ${c.target}: ${c.value}`);
}
