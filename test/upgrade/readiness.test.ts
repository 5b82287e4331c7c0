/** `platform upgrade` in process: the removed-API corpus, every input form, pins, calendar, skew and the plan. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ADDON_VERSIONS } from '../../model/versions';
import { parseStackConfig } from '../../lib/config/load';
import { SUPPORTED_KUBERNETES_VERSIONS } from '../../model/versions';
import { enabledReleases, KARPENTER_AMI_ALIAS, placeholderInputs, synthesizePlatform } from '../../charts';
import { loadManifests, type ManifestObject } from '../../lib/policy/manifests';
import { checkTarget, renderJson, renderMarkdown, renderText, replacementOn, scanObjects, upgradeReadiness, type UpgradeInput } from '../../lib/upgrade';
import { API_LIFECYCLE, apiLifecycle } from '../../lib/versions';
import { stackConfig } from '../helpers/pulumi';

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'upgrade');
const REMOVED = path.join(FIXTURES, 'removed');
let tmp: string;
let prodInput: UpgradeInput;

beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'upgrade-'));
  const config = parseStackConfig(stackConfig('prod'), 'Pulumi.prod.yaml');
  const inputs = placeholderInputs(config);
  const stackObjects: ManifestObject[] = synthesizePlatform(config, inputs, { stack: 'prod' }).charts.flatMap((c) =>
    c.objects.map((o, i) => ({ file: `dist/prod/${c.id}.yaml`, document: i + 1, object: o as unknown as Record<string, unknown> })),
  );
  prodInput = {
    stack: 'prod',
    configFile: 'Pulumi.prod.yaml',
    from: '1.35',
    to: '1.36',
    asOf: '2026-12-01',
    supportedVersions: SUPPORTED_KUBERNETES_VERSIONS,
    addonPins: ADDON_VERSIONS,
    charts: enabledReleases(config, inputs).map(({ release }) => ({ name: release.name, chart: release.pin.chart, version: release.pin.version, appVersion: release.pin.appVersion })),
    amiAlias: KARPENTER_AMI_ALIAS,
    stackObjects,
    manifests: [],
    manifestFiles: 0,
  };
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const write = (name: string, text: string): string => {
  const file = path.join(tmp, name);
  fs.writeFileSync(file, text);
  return file;
};
const messages = (items: readonly { message: string }[]) => items.map((i) => i.message);

describe('GIVEN the corpus of one manifest per removed group/version/kind', () => {
  const removals = API_LIFECYCLE.filter((e) => e.removedIn !== undefined);

  it('THEN the corpus covers exactly the removals of the catalogue', () => {
    const corpus = loadManifests([REMOVED]).objects.map(({ object }) => `${String(object.apiVersion)} ${String(object.kind)}`);
    expect(corpus.length).toBe(fs.readdirSync(REMOVED).length);
    expect(corpus.sort()).toEqual(removals.map((e) => `${e.apiVersion} ${e.kind}`).sort());
  });

  it('WHEN judged for 1.36 THEN every object is a blocker, one line each, naming file, object, version and replacement', () => {
    const { objects } = loadManifests([REMOVED]);
    const scan = scanObjects(objects, '1.36', true);
    expect(scan.blockers).toHaveLength(objects.length);
    expect(scan.warnings).toEqual([]);
    for (const { file, object } of objects) {
      const line = scan.blockers.find((b) => b.message.startsWith(`${file}: `))!.message;
      expect(line).toMatch(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: ${String(object.kind)}/(shop|-)/legacy-[a-z-]+: ${String(object.apiVersion).replace(/\./g, '\\.')} removed in 1\\.\\d+, (use [a-z0-9./]+( [A-Za-z]+)?|no replacement: .+)$`));
    }
    const dir = REMOVED;
    expect(messages(scan.blockers)).toEqual(
      expect.arrayContaining([
        `${dir}/extensions_v1beta1_Ingress.yaml: Ingress/shop/legacy-ingress: extensions/v1beta1 removed in 1.22, use networking.k8s.io/v1`,
        `${dir}/batch_v1beta1_CronJob.yaml: CronJob/shop/legacy-cron-job: batch/v1beta1 removed in 1.25, use batch/v1`,
        `${dir}/autoscaling_v2beta2_HorizontalPodAutoscaler.yaml: HorizontalPodAutoscaler/shop/legacy-horizontal-pod-autoscaler: autoscaling/v2beta2 removed in 1.26, use autoscaling/v2`,
        `${dir}/storage-k8s-io_v1beta1_CSIStorageCapacity.yaml: CSIStorageCapacity/shop/legacy-c-s-i-storage-capacity: storage.k8s.io/v1beta1 removed in 1.27, use storage.k8s.io/v1`,
        // v1beta1 was replaced by v1beta3, itself gone in 1.32: the line names what 1.36 serves.
        `${dir}/flowcontrol-apiserver-k8s-io_v1beta1_FlowSchema.yaml: FlowSchema/-/legacy-flow-schema: flowcontrol.apiserver.k8s.io/v1beta1 removed in 1.26, use flowcontrol.apiserver.k8s.io/v1`,
        `${dir}/resource-k8s-io_v1beta1_ResourceClaim.yaml: ResourceClaim/shop/legacy-resource-claim: resource.k8s.io/v1beta1 removed in 1.36, use resource.k8s.io/v1`,
        `${dir}/policy_v1beta1_PodSecurityPolicy.yaml: PodSecurityPolicy/-/legacy-pod-security-policy: policy/v1beta1 removed in 1.25, no replacement: use Pod Security Admission (pod-security.kubernetes.io namespace labels) or a policy engine`,
        // extensions/v1beta1 PodSecurityPolicy moved to policy/v1beta1, itself removed without replacement.
        `${dir}/extensions_v1beta1_PodSecurityPolicy.yaml: PodSecurityPolicy/-/legacy-pod-security-policy: extensions/v1beta1 removed in 1.16, no replacement: use Pod Security Admission (pod-security.kubernetes.io namespace labels) or a policy engine`,
      ]),
    );
  });

  it('WHEN judged for 1.35 THEN resource.k8s.io/v1beta1 is still served: a warning, not a blocker', () => {
    const scan = scanObjects(loadManifests([REMOVED]).objects, '1.35', true);
    expect(scan.blockers).toHaveLength(removals.length - 4);
    expect(messages(scan.warnings)).toContain(
      `${REMOVED}/resource-k8s-io_v1beta1_DeviceClass.yaml: DeviceClass/-/legacy-device-class: resource.k8s.io/v1beta1 deprecated in 1.33, still served in 1.35 (removed in 1.36), use resource.k8s.io/v1`,
    );
  });

  it('WHEN the same objects are moved to their replacement versions THEN nothing blocks or warns', () => {
    const { objects } = loadManifests([REMOVED]);
    const moved: ManifestObject[] = objects.flatMap(({ file, document, object }) => {
      const use = replacementOn(apiLifecycle(String(object.apiVersion), String(object.kind))!, '1.36');
      if (!use) return [];
      const [apiVersion, kind] = use.split(' ');
      return [{ file, document, object: { ...object, apiVersion, kind: kind ?? object.kind } }];
    });
    // Only the two PodSecurityPolicies have no replacement.
    expect(objects.length - moved.length).toBe(2);
    expect(scanObjects(moved, '1.36', true)).toMatchObject({ blockers: [], warnings: [] });
  });
});

describe('GIVEN manifests in every form', () => {
  it('WHEN a multi-document YAML, a JSON List, a YAML List and helm template output are read THEN each object is judged where it sits', () => {
    const multi = write('multi.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a, namespace: shop}\n---\napiVersion: batch/v1beta1\nkind: CronJob\nmetadata: {name: nightly, namespace: shop}\n---\napiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: web, namespace: shop}\n');
    const json = write('list.json', JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [{ apiVersion: 'autoscaling/v2beta2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'web', namespace: 'shop' } }, { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'shop' } }] }));
    const yamlList = write('roles.yaml', 'apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleList\nitems:\n  - apiVersion: rbac.authorization.k8s.io/v1beta1\n    kind: Role\n    metadata: {name: reader, namespace: shop}\n');
    const helm = path.join(FIXTURES, 'helm-rendered.yaml');
    const { objects } = loadManifests([multi, json, yamlList, helm]);
    expect(objects).toHaveLength(10);
    const scan = scanObjects(objects, '1.36', true);
    expect(messages(scan.blockers)).toEqual([
      `${multi}: CronJob/shop/nightly: batch/v1beta1 removed in 1.25, use batch/v1`,
      `${json}: HorizontalPodAutoscaler/shop/web: autoscaling/v2beta2 removed in 1.26, use autoscaling/v2`,
      `${yamlList}: Role/shop/reader: rbac.authorization.k8s.io/v1beta1 removed in 1.22, use rbac.authorization.k8s.io/v1`,
      `${helm}: PodDisruptionBudget/-/shop: policy/v1beta1 removed in 1.25, use policy/v1`,
    ]);
    expect(messages(scan.warnings)).toEqual([
      `${helm}: Endpoints/-/shop-legacy-db: v1 deprecated in 1.33, still served in 1.36 (no removal planned), use discovery.k8s.io/v1 EndpointSlice`,
    ]);
  });

  it('WHEN a 2,000-object file is read THEN every removed object in it is found and nothing else', () => {
    const items = Array.from({ length: 2000 }, (_, i) =>
      i % 100 === 7
        ? { apiVersion: 'batch/v1beta1', kind: 'CronJob', metadata: { name: `job-${i}`, namespace: `team-${i % 20}` }, spec: { schedule: '0 3 * * *' } }
        : { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: `app-${i}`, namespace: `team-${i % 20}` }, spec: { replicas: 2 } },
    );
    const big = write('big.yaml', items.map((o) => `${JSON.stringify(o)}\n`).join('---\n'));
    const { objects } = loadManifests([big]);
    expect(objects).toHaveLength(2000);
    const scan = scanObjects(objects, '1.36', true);
    expect(scan.blockers).toHaveLength(20);
    expect(scan.blockers[0].message).toBe(`${big}: CronJob/team-7/job-7: batch/v1beta1 removed in 1.25, use batch/v1`);
    expect(scan.blockers[19].message).toMatch(/CronJob\/team-7\/job-1907: /);
  });

  it('WHEN namespaces pin Pod Security Admission versions THEN those not at the target are named, latest with its own advice', () => {
    const ns = (name: string, labels: Record<string, string>) => ({ file: 'ns.yaml', document: 1, object: { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } } });
    const scan = scanObjects(
      [
        ns('old', { 'pod-security.kubernetes.io/enforce': 'restricted', 'pod-security.kubernetes.io/enforce-version': 'v1.35' }),
        ns('floating', { 'pod-security.kubernetes.io/warn-version': 'latest' }),
        ns('ready', { 'pod-security.kubernetes.io/enforce-version': 'v1.36', 'pod-security.kubernetes.io/audit-version': 'v1.36' }),
        ns('none', { team: 'shop' }),
      ],
      '1.36',
      true,
    );
    expect(messages(scan.warnings)).toEqual([
      'ns.yaml: Namespace/-/old: pod-security.kubernetes.io/enforce-version v1.35: move to v1.36 once the control plane runs 1.36',
      'ns.yaml: Namespace/-/floating: pod-security.kubernetes.io/warn-version latest: latest applies the 1.36 Pod Security Standards the moment the control plane upgrades: pin v1.36 once workloads pass them',
    ]);
    expect([...scan.psaVersions]).toEqual([['v1.35', 1], ['latest', 1], ['v1.36', 1]]);
  });
});

describe('GIVEN the prod stack on 1.35', () => {
  it('WHEN judged for 1.36 on 2026-12-01 THEN only the argo-cd chart blocks, naming Argo CD 3.5', () => {
    const report = upgradeReadiness(prodInput);
    expect(report.ready).toBe(false);
    expect(report.blockers.map((b) => b.kind)).toEqual(['chart']);
    expect(report.blockers[0].message).toMatch(/^chart argo-cd 10\.1\.1 \(app v3\.4\.4\): supported on 1\.32-1\.35 \(Argo CD 3\.4 tested versions\), not 1\.36; first with 1\.36: Argo CD 3\.5 /);
    expect(report.warnings).toEqual([]);
    expect(report.objects.stack).toBeGreaterThan(50);
    expect(report.checks).toEqual(
      expect.arrayContaining([
        'Kubernetes 1.36 is on EKS since 2026-06-02, EKS standard support until 2027-08-02 (244 days as of 2026-12-01)',
        'chart karpenter 1.14.1 (app 1.14.1) supports 1.36 (compatibility matrix: 1.36 needs >= 1.13.0)',
        'Karpenter AMI alias al2023@v20260714 supports 1.36 (AL2023 builds for 1.30-1.36)',
        `the stack's ${report.objects.stack} synthesized objects use no API removed by 1.36`,
      ]),
    );
  });

  it('WHEN the plan is read THEN the chart is rolled first, then the config, review, control plane with add-ons and nodes, Karpenter drift, verification', () => {
    const { steps } = upgradeReadiness(prodInput);
    expect(steps.map((s) => s.split(/[:;,]/)[0])).toEqual(['On 1.35', 'Set platform', 'Review', 'pulumi up -s prod', 'Karpenter nodes', 'Verify']);
    expect(steps[0]).toMatch(/^On 1\.35, before the control plane: move argo-cd 10\.1\.1 to Argo CD 3\.5 /);
    expect(steps[1]).toContain('Pod Security Admission labels move to v1.36; now ');
    expect(steps[3]).toBe(
      'pulumi up -s prod: the EKS control plane moves to 1.36 first; then the EKS add-ons (kube-proxy v1.35.3-eksbuild.13 -> v1.36.0-eksbuild.14, metrics-server v0.9.0-eksbuild.5 -> v0.9.0-eksbuild.10, vpc-cni v1.22.3-eksbuild.1 -> v1.22.4-eksbuild.3) and the system node group, one node at a time.',
    );
  });

  it('WHEN Argo CD is not installed THEN it is ready (exit 0 from the CLI)', () => {
    const report = upgradeReadiness({ ...prodInput, charts: prodInput.charts.filter((c) => c.chart !== 'argo-cd') });
    expect(report).toMatchObject({ ready: true, blockers: [] });
  });

  it('WHEN the manifests given use removed APIs THEN they block along with the pins, and the plan moves them first', () => {
    const manifests = loadManifests([path.join(FIXTURES, 'helm-rendered.yaml')]).objects;
    const report = upgradeReadiness({ ...prodInput, manifests, manifestFiles: 1 });
    expect(report.blockers.map((b) => b.kind)).toEqual(['chart', 'removed-api']);
    expect(report.warnings.map((w) => w.kind)).toEqual(['deprecated-api']);
    expect(report.steps[0]).toBe('Move the 1 objects listed above off the APIs 1.36 no longer serves, and apply them while the control plane still runs 1.35.');
  });
});

describe('GIVEN the pins the stacks had before (1.34 -> 1.35)', () => {
  it('THEN external-secrets, Karpenter and its AMI block, each naming the first release with 1.35, to roll on 1.34 first', () => {
    const report = upgradeReadiness({
      ...prodInput,
      from: '1.34',
      to: '1.35',
      addonPins: { '1.34': ADDON_VERSIONS['1.35'], '1.35': ADDON_VERSIONS['1.35'] },
      charts: [
        { name: 'external-secrets', chart: 'external-secrets', version: '0.20.4', appVersion: 'v0.20.4' },
        { name: 'karpenter', chart: 'karpenter', version: '1.5.0', appVersion: '1.5.0' },
      ],
      amiAlias: 'al2023@v20250807',
    });
    expect(messages(report.blockers)).toEqual([
      'chart external-secrets 0.20.4 (app v0.20.4): supported on 1.34 (External Secrets 0.20 tested versions), not 1.35; first with 1.35: external-secrets 2.0 (tested on 1.34-1.35)',
      'chart karpenter 1.5.0 (app 1.5.0): older than 1.9.0, the first release supporting 1.35 (compatibility matrix); first with 1.35: karpenter 1.9.0',
      'Karpenter AMI alias al2023@v20250807: has AL2023 builds for 1.28-1.33, not 1.35; first with 1.35: al2023@v20260114',
    ]);
    expect(report.steps.slice(0, 3).map((s) => s.replace(/; the new release.*$/, ''))).toEqual([
      'On 1.34, before the control plane: move external-secrets 0.20.4 to external-secrets 2.0 (tested on 1.34-1.35)',
      'On 1.34, before the control plane: move karpenter 1.5.0 to karpenter 1.9.0',
      'On 1.34, before the control plane: move KARPENTER_AMI_ALIAS al2023@v20250807 to al2023@v20260114',
    ]);
  });

  it('THEN a target the config does not accept, without add-on pins, blocks with what to add', () => {
    const report = upgradeReadiness({ ...prodInput, supportedVersions: ['1.35'], addonPins: { '1.35': ADDON_VERSIONS['1.35'] } });
    expect(report.blockers.filter((b) => b.kind !== 'chart').map((b) => b.message)).toEqual([
      'platform:kubernetesVersion accepts 1.35 (model/versions.ts SUPPORTED_KUBERNETES_VERSIONS): add 1.36 with its EKS add-on pins first',
      'no EKS add-on pins for 1.36 (model/versions.ts ADDON_VERSIONS): pin each add-on to a build offered for 1.36 (aws eks describe-addon-versions --kubernetes-version 1.36)',
    ]);
  });
});

describe('GIVEN the EKS calendar', () => {
  it('WHEN the target is not on EKS yet on the date judged THEN it blocks with the release date', () => {
    const report = upgradeReadiness({ ...prodInput, asOf: '2026-05-01' });
    expect(report.blockers.map((b) => b.message)).toContain('Kubernetes 1.36 is not on EKS until 2026-06-02 (as of 2026-05-01)');
  });

  it('WHEN the target itself nears or passed the end of standard support THEN it warns', () => {
    expect(messages(upgradeReadiness({ ...prodInput, asOf: '2027-06-01' }).warnings)).toEqual(['Kubernetes 1.36 leaves EKS standard support on 2027-08-02, in 62 days: plan the next upgrade right after']);
    expect(messages(upgradeReadiness({ ...prodInput, asOf: '2027-09-01' }).warnings)).toEqual(['Kubernetes 1.36 is already past EKS standard support (2027-08-02): it is billed as extended support from the start']);
  });
});

describe('GIVEN a target version', () => {
  it.each([
    ['1.37', '--to 1.37: EKS upgrades one minor at a time: 1.35 -> 1.36 -> 1.37; upgrade to 1.36 first'],
    ['1.38', '--to 1.38: EKS upgrades one minor at a time: 1.35 -> 1.36 -> 1.37 -> 1.38; upgrade to 1.36, then 1.37 first'],
    ['1.35', '--to 1.35: the stack already runs Kubernetes 1.35 (expected the next minor, 1.36)'],
    ['1.34', '--to 1.34: EKS cannot downgrade a control plane (the stack runs 1.35; expected a newer minor)'],
    ['v1.36', '--to: expected a Kubernetes minor version such as 1.36 (got "v1.36")'],
    ['1.36.1', '--to: expected a Kubernetes minor version such as 1.36 (got "1.36.1")'],
  ])('WHEN it is %s from 1.35 THEN it is refused: %s', (to, message) => {
    expect(() => checkTarget('1.35', to)).toThrow(message);
  });

  it('WHEN it is the next minor but not in the catalogue THEN it is refused naming what the catalogue knows', () => {
    expect(() => checkTarget('1.36', '1.37')).toThrow('--to 1.37: Kubernetes 1.37 is not in the version catalogue (lib/versions/kubernetes.ts knows 1.16-1.36): its EKS dates and removals are unknown');
    expect(() => checkTarget('1.35', '1.36')).not.toThrow();
  });
});

describe('GIVEN a report', () => {
  it('WHEN rendered THEN text ends with the verdict, Markdown is a checklist, JSON round-trips', () => {
    const report = upgradeReadiness(prodInput);
    const text = renderText(report);
    expect(text).toMatch(/^upgrade: stack prod \(Pulumi\.prod\.yaml\): Kubernetes 1\.35 -> 1\.36, as of 2026-12-01; \d+ objects of the stack\nblockers \(1\):\n {2}chart argo-cd /);
    expect(text.trimEnd().split('\n').pop()).toBe('not ready: 1 blocker, 0 warnings');
    const md = renderMarkdown(report);
    expect(md.split('\n')[0]).toBe('# Upgrade prod: Kubernetes 1.35 -> 1.36');
    expect(md.split('\n').filter((l) => l.startsWith('- [ ] '))).toHaveLength(report.steps.length);
    expect(md).toContain('- [ ] 1. On 1.35, before the control plane: move argo-cd 10.1.1 to Argo CD 3.5');
    expect(JSON.parse(renderJson(report))).toEqual(JSON.parse(JSON.stringify(report)));
  });
});
