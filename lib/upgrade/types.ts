/** The shapes `platform upgrade` works with: what it is given and what it reports. */
import type { ManifestObject } from '../policy/manifests';

export type UpgradeItemKind = 'removed-api' | 'deprecated-api' | 'psa-label' | 'calendar' | 'config' | 'addon' | 'chart' | 'karpenter' | 'ami';

/** One line of the report: a blocker or a warning. */
export interface UpgradeItem {
  readonly kind: UpgradeItemKind;
  readonly message: string;
}

export interface ChartPinInput {
  /** Release name (`argocd`). */
  readonly name: string;
  readonly chart: string;
  readonly version: string;
  readonly appVersion?: string;
}

export interface UpgradeInput {
  readonly stack: string;
  readonly configFile: string;
  /** Kubernetes minor the stack runs. */
  readonly from: string;
  /** Kubernetes minor to upgrade to: the next one. */
  readonly to: string;
  /** Date the calendar is read on (`YYYY-MM-DD`). */
  readonly asOf: string;
  /** Minors the stack config accepts (model/versions.ts). */
  readonly supportedVersions: readonly string[];
  /** EKS add-on pins per Kubernetes minor (model/versions.ts). */
  readonly addonPins: Readonly<Record<string, Readonly<Record<string, string>>>>;
  /** Helm charts the stack installs. */
  readonly charts: readonly ChartPinInput[];
  /** The Karpenter EC2NodeClass AMI alias, when Karpenter is on. */
  readonly amiAlias?: string;
  /** The stack's own synthesized objects (file: dist/<stack>/<chart>.yaml). */
  readonly stackObjects: readonly ManifestObject[];
  /** Objects of the manifests given on the command line. */
  readonly manifests: readonly ManifestObject[];
  /** How many files the manifests came from. */
  readonly manifestFiles: number;
  /** Files found under directories that hold nothing to check (lib/policy/manifests.ts). */
  readonly skippedFiles?: number;
}

export interface UpgradeReport {
  readonly stack: string;
  readonly configFile: string;
  readonly from: string;
  readonly to: string;
  readonly asOf: string;
  readonly ready: boolean;
  readonly objects: { readonly stack: number; readonly manifests: number; readonly files: number; readonly skippedFiles: number };
  readonly blockers: readonly UpgradeItem[];
  readonly warnings: readonly UpgradeItem[];
  /** What was checked and holds. */
  readonly checks: readonly string[];
  /** The upgrade, in order. */
  readonly steps: readonly string[];
}
