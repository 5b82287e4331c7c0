/* eslint-disable @typescript-eslint/no-explicit-any -- synthesized manifests are untyped JSON that the tests query field by field */
/** The repository's stack files as chart tests use them: parsed config (with overrides) and the synthesized platform. */
import * as path from 'node:path';
import { parseStackConfig, readStackConfigFileRaw } from '../../lib/config/load';
import { REPO_ROOT } from '../../lib/stack';
import type { PlatformConfig } from '../../model/config';
import { placeholderInputs, synthesizePlatform } from '../../charts';

export type Obj = { apiVersion: string; kind: string; metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> }; [k: string]: any };

/** `Pulumi.<stack>.yaml` with raw `overrides` (full `namespace:key` names) applied, validated as the CLI validates it. */
export function platformConfig(stack: 'dev' | 'prod', overrides: Record<string, unknown> = {}): PlatformConfig {
  return parseStackConfig({ ...readStackConfigFileRaw(path.join(REPO_ROOT, `Pulumi.${stack}.yaml`)), ...overrides }, `Pulumi.${stack}.yaml`);
}

/** The platform synthesized offline (placeholder AWS inputs): each chart's objects by id, and all of them. */
export function synthPlatform(config: PlatformConfig) {
  const result = synthesizePlatform(config, placeholderInputs(config));
  const chart = (id: string) => (result.charts.find((x) => x.id === id)?.objects ?? []) as Obj[];
  return { ...result, chart, all: result.charts.flatMap((x) => x.objects) as Obj[] };
}
