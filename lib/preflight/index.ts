/**
 * `platform preflight`: read-only checks against the real AWS account before `pulumi up`. One line
 * per check, `ok`, `WARN` (works, but look) or `FAIL` (pulumi up would fail, or could not be
 * verified), each saying what to do. Everything AWS comes through injected clients, so the same code
 * runs against the SDK and, in tests, against mocked clients.
 */
import { NoCredentialsError } from './aws';
import { checkAccount, checkAddonVersions, checkDeployerIsAdmin, checkEndpointReach, checkPrincipals, checkSecrets, checkServiceLinkedRoles, checkZones } from './checks';
import { checkQuotas } from './quotas';
import type { CheckLine, PreflightEnvironment, PreflightTarget } from './types';

export { NoCredentialsError };
export type { CheckLine, PreflightEnvironment, PreflightTarget };

/** Runs every check in a fixed order. Stops after the account check when the account is wrong. */
export async function runPreflight(target: PreflightTarget, env: PreflightEnvironment): Promise<CheckLine[]> {
  const account = await checkAccount(target, env);
  const lines: CheckLine[] = [account.line];
  if (account.line.status !== 'ok' || !account.identity) return lines;
  lines.push(...(await checkZones(target, env)));
  lines.push(...(await checkServiceLinkedRoles(target, env)));
  lines.push(...(await checkAddonVersions(target, env)));
  lines.push(...(await checkPrincipals(target, env)));
  lines.push(checkDeployerIsAdmin(target, account.identity));
  lines.push(...(await checkSecrets(target, env)));
  lines.push(...(await checkQuotas(target, env)));
  lines.push(...(await checkEndpointReach(target, env)));
  return lines;
}

/** `ok   <check>: <message>` lines and a closing count. */
export function formatPreflight(stackLabel: string, lines: readonly CheckLine[]): string {
  const out = lines.map((l) => `${l.status.padEnd(4)} ${l.check}: ${l.message}`);
  const count = (s: CheckLine['status']) => lines.filter((l) => l.status === s).length;
  out.push(`preflight: stack ${stackLabel}: ${count('ok')} ok, ${count('WARN')} WARN, ${count('FAIL')} FAIL`);
  return `${out.join('\n')}\n`;
}
