/** What `platform preflight` reports: one line per check. */
import type { PlatformConfig } from '../../model/config';
import type { AwsCaller, PreflightClients } from './aws';

export type CheckStatus = 'ok' | 'WARN' | 'FAIL';

export interface CheckLine {
  readonly status: CheckStatus;
  /** Short name of what was checked: `account`, `addon vpc-cni`, `quota nat-gateways`, ... */
  readonly check: string;
  /** What was found and, for WARN and FAIL, what to do. */
  readonly message: string;
}

/** What the checks need from outside: AWS, and the few probes of the machine it runs on. */
export interface PreflightEnvironment {
  readonly clients: PreflightClients;
  readonly caller: AwsCaller;
  /** Opens a TCP connection to host:port; resolves true when it connects within the timeout. */
  probeTcp(host: string, port: number, timeoutMs: number): Promise<boolean>;
  /** This machine's public egress IPv4 address as AWS sees it, or undefined when unknown. */
  egressIp(): Promise<string | undefined>;
  /** This machine's own IPv4 addresses (VPN and LAN interfaces). */
  localAddresses(): string[];
}

export interface PreflightTarget {
  readonly config: PlatformConfig;
  /** The AWS stack's name. */
  readonly stack: string;
  /** Set when preflight runs for the in-cluster stack (`--stack <name>-cluster`). */
  readonly clusterStack?: string;
}

/** Whether the stack preflight runs for applies the in-cluster half (and so needs the API endpoint). */
export function appliesInCluster(target: PreflightTarget): boolean {
  return target.clusterStack !== undefined || target.config.delivery.inClusterStack === 'same';
}
