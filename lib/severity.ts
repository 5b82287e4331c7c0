/**
 * Finding severities and their order: the one definition every finding (plan posture and version
 * findings, audit change and posture findings) and every option that takes a severity
 * (`platform audit --fail-on`) uses.
 */

export type Severity = 'low' | 'medium' | 'high' | 'critical';

/** Most severe first: the order reports list findings and counts in. */
export const SEVERITIES: readonly Severity[] = ['critical', 'high', 'medium', 'low'];

export function isSeverity(value: unknown): value is Severity {
  return (SEVERITIES as readonly unknown[]).includes(value);
}

/** Negative when `a` is more severe than `b`: sorts most severe first. */
export function compareSeverity(a: Severity, b: Severity): number {
  return SEVERITIES.indexOf(a) - SEVERITIES.indexOf(b);
}

/** Whether `severity` is `min` or more severe. */
export function severityAtLeast(severity: Severity, min: Severity): boolean {
  return compareSeverity(severity, min) <= 0;
}
