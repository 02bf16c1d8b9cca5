// `npm audit` covers every installed package; only the packages dist/ bundles reach the people who run
// ecs-ship, so only their high or critical advisories fail CI (scripts/audit-bundled.ts).

export interface AuditReport {
  error?: { summary?: string };
  message?: string;
  vulnerabilities?: Record<string, { severity: string; range: string }>;
}

export type AuditVerdict = { unchecked: string } | { failing: string[]; other: string[] };

const FAILING = new Set(['high', 'critical']);

/** A report's advisories split into those that fail (high or critical, in a bundled package) and the rest. */
export function bundledAdvisories(report: AuditReport, bundled: string[]): AuditVerdict {
  if (report.error && !report.vulnerabilities) return { unchecked: report.message || report.error.summary || 'no answer' };
  const failing: string[] = [];
  const other: string[] = [];
  for (const [name, v] of Object.entries(report.vulnerabilities ?? {})) {
    (FAILING.has(v.severity) && bundled.includes(name) ? failing : other).push(`${v.severity}: ${name} ${v.range}`);
  }
  return { failing, other };
}
