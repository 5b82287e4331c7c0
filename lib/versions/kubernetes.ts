/**
 * The EKS Kubernetes release calendar, 1.16 to the newest minor on EKS: release on EKS, end of
 * standard support (extended-support billing starts that day, UTC) and end of extended support (EKS
 * then upgrades the control plane itself). Data with its source and the date it was read.
 *
 * EKS rules these dates follow (Amazon EKS user guide, "Understand the Kubernetes version lifecycle on
 * EKS"): standard support for 14 months from the EKS release, extended support for the 12 months
 * after. Extended support exists from 1.21 on (1.21 and 1.22 got it after the fact); earlier versions
 * had one end-of-support date.
 */

export interface Sourced {
  /** Where the fact was read: repository and commit, or page URL. */
  readonly source: string;
  /** When it was read (`YYYY-MM-DD`). */
  readonly readOn: string;
}

export interface KubernetesRelease extends Sourced {
  /** `1.35`. */
  readonly minor: string;
  /** Upstream Kubernetes release date, when the source gives it. */
  readonly upstreamRelease?: string;
  readonly eksRelease: string;
  readonly endOfStandardSupport: string;
  /** `null` for versions that had no extended support. */
  readonly endOfExtendedSupport: string | null;
}

const READ_ON = '2026-12-01';
const GUIDE_HISTORY = 'awsdocs/amazon-eks-user-guide doc_source/kubernetes-versions.md, "Amazon EKS Kubernetes release calendar"';
const GUIDE_2024 = 'awsdocs/amazon-eks-user-guide@4d52b4d0 (2024-12-18) latest/ug/clusters/kubernetes-versions.adoc, release calendar';
const GUIDE_2025 = 'awsdocs/amazon-eks-user-guide@01385604 latest/ug/versioning/kubernetes-versions.adoc, release calendar';

const row = (
  minor: string,
  upstreamRelease: string | undefined,
  eksRelease: string,
  endOfStandardSupport: string,
  endOfExtendedSupport: string | null,
  source: string,
): KubernetesRelease => ({ minor, ...(upstreamRelease ? { upstreamRelease } : {}), eksRelease, endOfStandardSupport, endOfExtendedSupport, source, readOn: READ_ON });

/** Oldest first. */
export const KUBERNETES_RELEASES: readonly KubernetesRelease[] = [
  row('1.16', '2019-09-08', '2020-04-30', '2021-09-27', null, `${GUIDE_HISTORY} @8caa48f8 (2022-01-27, last revision listing 1.16)`),
  row('1.17', '2019-12-09', '2020-07-10', '2021-11-02', null, `${GUIDE_HISTORY} @b3aab2fa (2022-06-23, last revision listing 1.17)`),
  row('1.18', '2020-03-23', '2020-10-13', '2022-03-31', null, `${GUIDE_HISTORY} @efa355ad (2022-09-17, last revision listing 1.18)`),
  row('1.19', '2020-08-26', '2021-02-16', '2022-08-01', null, `${GUIDE_HISTORY} @939c7bf0 (2023-03-01, last revision listing 1.19)`),
  row('1.20', '2020-12-08', '2021-05-18', '2022-11-01', null, `${GUIDE_HISTORY} @cb60bb7b (2023-06-15, last revision listing 1.20)`),
  row('1.21', '2021-04-08', '2021-07-19', '2023-02-16', '2024-07-15', `${GUIDE_HISTORY} @30d8cf0a (2024-08-08)`),
  row('1.22', '2021-08-04', '2022-04-04', '2023-06-04', '2024-09-01', `${GUIDE_HISTORY} @30d8cf0a (2024-08-08)`),
  row('1.23', '2021-12-07', '2022-08-11', '2023-10-11', '2024-10-11', `${GUIDE_HISTORY} @96b802f8 (2024-10-17)`),
  row('1.24', '2022-05-03', '2022-11-15', '2024-01-31', '2025-01-31', GUIDE_2024),
  row('1.25', '2022-08-23', '2023-02-22', '2024-05-01', '2025-05-01', GUIDE_2024),
  row('1.26', '2022-12-09', '2023-04-11', '2024-06-11', '2025-06-11', GUIDE_2024),
  row('1.27', '2023-04-11', '2023-05-24', '2024-07-24', '2025-07-24', GUIDE_2024),
  row('1.28', '2023-08-15', '2023-09-26', '2024-11-26', '2025-11-26', GUIDE_2024),
  row('1.29', '2023-12-13', '2024-01-23', '2025-03-23', '2026-03-23', GUIDE_2025),
  row('1.30', '2024-04-17', '2024-05-23', '2025-07-23', '2026-07-23', GUIDE_2025),
  row('1.31', '2024-08-13', '2024-09-26', '2025-11-26', '2026-11-26', GUIDE_2025),
  row('1.32', '2024-12-11', '2025-01-23', '2026-03-23', '2027-03-23', GUIDE_2025),
  row('1.33', '2025-04-23', '2025-05-29', '2026-07-29', '2027-07-29', GUIDE_2025),
  row('1.34', '2025-08-27', '2025-10-02', '2026-12-02', '2027-12-02', GUIDE_2025),
  row(
    '1.35',
    '2025-12-17',
    '2026-01-28',
    '2027-03-27',
    '2028-03-27',
    'https://endoflife.date/amazon-eks (1.35: released 28 Jan 2026, end of support 27 Mar 2027, extended 27 Mar 2028); upstream date: kubernetes.io/blog/2025/12/17/kubernetes-v1-35-release',
  ),
  row(
    '1.36',
    undefined,
    '2026-06-02',
    '2027-08-02',
    '2028-08-02',
    'EKS user guide kubernetes-versions-standard ("Kubernetes 1.36 is now available in Amazon EKS"); EKS release and end of standard support as recorded by a public Terraform configuration ' +
      '("longest standard-support runway (to 2027-08-02) as of 2026-09-28") and an EKS 1.36 upgrade article (devopsdreams, 2026-08-16: "reached Amazon EKS on June 2, 2026 ... standard support through August 2, 2027"); ' +
      'end of extended support by the 12-month rule. Confirm with `aws eks describe-cluster-versions`',
  ),
];

/** The calendar entry of a minor, if the catalogue has it. */
export function kubernetesRelease(minor: string): KubernetesRelease | undefined {
  return KUBERNETES_RELEASES.find((r) => r.minor === minor);
}

/** The newest minor on EKS per the catalogue. */
export function newestMinor(): string {
  return KUBERNETES_RELEASES[KUBERNETES_RELEASES.length - 1].minor;
}
