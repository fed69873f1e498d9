import { MASK } from '../record/mask.js';
import type { Difference } from './difference.js';
import { type DriftReport, drifted, type StepResult } from './runner.js';

const show = (v: unknown) => {
  const text = typeof v === 'string' ? JSON.stringify(v) : (JSON.stringify(v) ?? String(v));
  return text.length > 160 ? `${text.slice(0, 157)}...` : text;
};

export const describeDifference = (d: Difference) =>
  `${d.kind} ${d.path}: real ${d.real === undefined ? '(none)' : show(d.real)}, mock ${d.mock === undefined ? '(none)' : show(d.mock)}` +
  (d.deliberate ? ` [deliberate: ${d.deliberate}]` : '');

const outcome = (s: StepResult) =>
  s.skipped ? 'skipped' : drifted(s) ? 'DRIFT' : s.differences.length ? 'deliberate' : 'ok';

/** A readable table: one row per step, its differences under it. */
export function tableReport(report: DriftReport): string {
  const width = Math.max(4, ...report.steps.map((s) => s.name.length));
  const lines = [
    `drift check: ${report.provider}   real ${report.real}   mock ${report.mock}${report.allowWrites ? '   (writes allowed)' : ''}`,
    '',
    `${'STEP'.padEnd(width)}  REAL  MOCK  RESULT`,
  ];
  for (const s of report.steps) {
    lines.push(
      `${s.name.padEnd(width)}  ${String(s.status.real ?? '-').padEnd(4)}  ${String(s.status.mock ?? '-').padEnd(4)}  ${outcome(s)}${s.skipped ? ` (${s.skipped})` : ''}`,
    );
    for (const d of s.differences)
      lines.push(`${' '.repeat(width + 2)}${d.deliberate ? '~' : '!'} ${describeDifference(d)}`);
  }
  const { steps, drifted: n, deliberate, skipped } = report.summary;
  lines.push(
    '',
    n === 0
      ? `no drift: ${steps} steps, ${deliberate} deliberate difference(s), ${skipped} skipped`
      : `DRIFT in ${n} of ${steps} steps (${report.summary.differences} difference(s)); ${deliberate} deliberate, ${skipped} skipped`,
  );
  return `${lines.join('\n')}\n`;
}

export const jsonReport = (report: DriftReport) => `${JSON.stringify(report, null, 2)}\n`;

const xml = (text: string) =>
  text
    .replace(
      /[<>&"']/g,
      (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!,
    )
    // characters XML 1.0 cannot carry at all
    .replace(/./gsu, (c) => {
      const code = c.charCodeAt(0);
      return code < 0x20 && c !== '\n' && c !== '\r' && c !== '\t'
        ? `\\u${code.toString(16).padStart(4, '0')}`
        : c;
    });

/** JUnit XML: one test case per step; drift is a failure, deliberate differences are printed in system-out. */
export function junitReport(report: DriftReport): string {
  const suite = `drift.${report.provider}`;
  const cases = report.steps.map((s) => {
    const open = `  <testcase classname="${xml(suite)}" name="${xml(`${s.name} (${s.method} ${s.path})`)}">`;
    const body: string[] = [];
    if (s.skipped) body.push(`    <skipped message="${xml(s.skipped)}"/>`);
    const real = s.differences.filter((d) => !d.deliberate);
    if (real.length) {
      body.push(
        `    <failure message="${xml(`${real.length} difference(s) from the real service`)}" type="drift">${xml(real.map(describeDifference).join('\n'))}</failure>`,
      );
    }
    const kept = s.differences.filter((d) => d.deliberate);
    if (kept.length)
      body.push(`    <system-out>${xml(kept.map(describeDifference).join('\n'))}</system-out>`);
    return body.length ? [open, ...body, '  </testcase>'].join('\n') : `${open}</testcase>`;
  });
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="image-api-mocks drift" tests="${report.summary.steps}" failures="${report.summary.drifted}" skipped="${report.summary.skipped}">`,
    `<testsuite name="${xml(suite)}" tests="${report.summary.steps}" failures="${report.summary.drifted}" skipped="${report.summary.skipped}">`,
    ...cases,
    '</testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}

/** No credential may reach a report: every known secret is replaced wherever it appears. */
export function scrubSecrets(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of secrets.filter((v) => v.length > 0).sort((a, b) => b.length - a.length)) {
    out = out.split(s).join(MASK);
  }
  return out;
}
