/**
 * Stack files as users write them by hand: YAML typing surprises, secrets, stray spaces, comma
 * lists, anchors and merge keys, duplicates, very long values. Each mistake is one line naming the
 * file, the key, the value (never a secret) and what is accepted; what Pulumi itself accepts is
 * accepted here too.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parse } from 'yaml';
import { readStackConfigFile } from '../../lib/config/load';
import { UserError } from '../../lib/errors';
import { expectOneLineError, platform } from '../helpers/cli';
import { REPO } from '../helpers/pulumi';

const DEV = fs.readFileSync(path.join(REPO, 'Pulumi.dev.yaml'), 'utf8');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'platform-config-real-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

let n = 0;
function write(text: string): string {
  const file = path.join(dir, `Pulumi.case${++n}.yaml`);
  fs.writeFileSync(file, text);
  return file;
}

/** Pulumi.dev.yaml with one textual edit; fails the test when the edit does not apply. */
function devWith(find: string | RegExp, replace: string): string {
  const text = DEV.replace(find, replace);
  expect(text).not.toBe(DEV);
  return text;
}

function errorOf(text: string): { file: string; message: string } {
  const file = write(text);
  try {
    readStackConfigFile(file);
  } catch (err) {
    expect(err).toBeInstanceOf(UserError);
    const message = (err as Error).message;
    expect(message).not.toContain('\n');
    expect(message.startsWith(`${file}: `)).toBe(true);
    return { file, message: message.slice(file.length + 2) };
  }
  throw new Error('config was accepted');
}

const TAGS = 'platform:tags:\n    environment: dev\n    owner: platform-team';
const AZS = 'availabilityZones: [eu-west-1a, eu-west-1b, eu-west-1c]';
const ACCOUNT = 'platform:accountId: "111122223333"';

describe('GIVEN a hand-written stack file with a mistake WHEN read THEN one line names key, value and what is accepted', () => {
  it.each([
    ['a numeric tag value', devWith(TAGS, `${TAGS}\n    costCenter: 1234`), 'platform:tags.costCenter: expected a text tag value (quote numbers and booleans in YAML, e.g. "1234") (got 1234)'],
    ['a boolean tag value', devWith(TAGS, `${TAGS}\n    billable: true`), 'platform:tags.billable: expected a text tag value (quote numbers and booleans in YAML, e.g. "1234") (got true)'],
    ['a tag value of 300 characters', devWith(TAGS, `${TAGS}\n    note: ${'x'.repeat(300)}`), `platform:tags.note: expected a tag value of at most 256 characters (got "${'x'.repeat(76)}..., 300 characters)`],
    ['a secret on a plain key', devWith(ACCOUNT, 'platform:accountId:\n    secure: AAABAMzRHm2mWhGbAnk4ZTdS1oJ0'), 'platform:accountId: is an encrypted secret (secure:), but secrets are not accepted for this key (it holds no credential: write the plain value)'],
    ['a secret inside a structured key', devWith('publicAccessCidrs: [203.0.113.0/24]', 'publicAccessCidrs:\n      - secure: AAABAMzRHm2mWhGbAnk4ZTdS1oJ0'), 'platform:endpoint.publicAccessCidrs[0]: is an encrypted secret (secure:), but secrets are not accepted for this key (it holds no credential: write the plain value)'],
    ['a secret region', devWith('aws:region: eu-west-1', 'aws:region:\n    secure: AAABAMzRHm2mWhGbAnk4ZTdS1oJ0'), 'aws:region: is an encrypted secret (secure:), but secrets are not accepted for this key (it holds no credential: write the plain value)'],
    ['a key with a trailing space', devWith('platform:clusterName: platform-dev', '"platform:clusterName ": platform-dev'), '"platform:clusterName ": key has leading or trailing spaces (write it as platform:clusterName)'],
    ['a nested key with a trailing space', devWith('natGateways: single', '"natGateways ": single'), 'platform:network."natGateways ": key has leading or trailing spaces (write it as natGateways)'],
    ['AZs as a comma-separated string', devWith(AZS, 'availabilityZones: eu-west-1a, eu-west-1b,eu-west-1c'), 'platform:network.availabilityZones: expected a list of availability zone names (got "eu-west-1a, eu-west-1b,eu-west-1c"; write a YAML list: [eu-west-1a, eu-west-1b, eu-west-1c])'],
    ['an unquoted 1.30 (YAML reads 1.3)', devWith('platform:kubernetesVersion: "1.35"', 'platform:kubernetesVersion: 1.30'), 'platform:kubernetesVersion: expected one of 1.35, 1.36 (quote it in YAML: "1.35") (got 1.3)'],
    ['an account id YAML read as a number without its leading zero', devWith(ACCOUNT, 'platform:accountId: 011122223333'), 'platform:accountId: expected a 12-digit AWS account id (got 11122223333; YAML read the unquoted value as a number: quote it)'],
    ['an uppercase region', devWith('aws:region: eu-west-1', 'aws:region: EU-West-1'), 'aws:region: expected an AWS region like eu-west-1 (got "EU-West-1"; region names are lowercase: did you mean eu-west-1?)'],
    ['a 5000-character cluster name', devWith('platform:clusterName: platform-dev', `platform:clusterName: ${'a'.repeat(5000)}`), `platform:clusterName: expected a name of 3-32 lowercase letters, digits or -, starting with a letter (got "${'a'.repeat(76)}..., 5000 characters)`],
    ['an empty tenants key', devWith(/ {2}platform:tenants:\n( {4}.*\n)+/, '  platform:tenants:\n'), 'platform:tenants: expected a list (got null)'],
    ['a duplicate key', devWith('platform:clusterName: platform-dev', 'platform:clusterName: platform-dev\n  platform:clusterName: platform-dev2'), 'YAML syntax error at line 8, column 3: Map keys must be unique (duplicate key platform:clusterName; keep one)'],
  ])('%s', (_what, text, expected) => {
    const { message } = errorOf(text);
    expect(message).toBe(expected);
    expect(message).not.toContain('AAABAMzRHm2mWhGbAnk4ZTdS1oJ0');
  });
});

describe('GIVEN a stack file Pulumi itself accepts WHEN read THEN it is accepted with the same values', () => {
  const reference = readStackConfigFile(path.join(REPO, 'Pulumi.dev.yaml'));

  it.each([
    ['unquoted kubernetesVersion 1.35 (Pulumi hands the program the text "1.35")', devWith('platform:kubernetesVersion: "1.35"', 'platform:kubernetesVersion: 1.35')],
    ['an unquoted 12-digit account id', devWith(ACCOUNT, 'platform:accountId: 111122223333')],
    ['encryptionsalt and secretsprovider at the top', `encryptionsalt: v1:ZhDx1cXN2aw=:v1:yJ1OWE+y8Kgl1Wq5:9hT0S2tJ0yE1yVOYyLPUFHQbCg0zWw==\nsecretsprovider: awskms://alias/pulumi?region=eu-west-1\n${DEV}`],
    ['the same config written as JSON (valid YAML)', JSON.stringify(parse(DEV), null, 2)],
    ['CRLF line ends and a byte-order mark', `\uFEFF${DEV.replace(/\n/g, '\r\n')}`],
  ])('%s', (_what, text) => {
    const config = readStackConfigFile(write(text));
    expect(config).toEqual(reference);
  });

  it('an anchor and an alias', () => {
    const text = devWith('      quota: { cpu: "8", memory: 16Gi, pods: 50 }', '      quota: &quota { cpu: "8", memory: 16Gi, pods: 50 }').replace('      quota: { cpu: "4", memory: 8Gi, pods: 30 }', '      quota: *quota');
    expect(readStackConfigFile(write(text)).tenants.map((t) => t.quota)).toEqual([{ cpu: '8', memory: '16Gi', pods: 50 }, { cpu: '8', memory: '16Gi', pods: 50 }]);
  });

  it('merge keys (<<: *anchor), which Pulumi\'s YAML reader honours', () => {
    const text = devWith('      quota: { cpu: "8", memory: 16Gi, pods: 50 }', '      quota: &quota { cpu: "8", memory: 16Gi, pods: 50 }').replace('      quota: { cpu: "4", memory: 8Gi, pods: 30 }', '      quota:\n        <<: *quota\n        pods: 30');
    expect(readStackConfigFile(write(text)).tenants[1].quota).toEqual({ cpu: '8', memory: '16Gi', pods: 30 });
  });
});

describe('GIVEN the CLI WHEN plan --config gets a hand-written mistake THEN exit 2 with one line', () => {
  it('a secret on a plain key', () => {
    const file = write(devWith(ACCOUNT, 'platform:accountId:\n    secure: AAABAMzRHm2mWhGbAnk4ZTdS1oJ0'));
    const result = platform(['plan', '--config', file]);
    expectOneLineError(result, new RegExp(`^platform: ${file}: platform:accountId: is an encrypted secret \\(secure:\\), but secrets are not accepted for this key`));
    expect(result.stderr).not.toContain('AAABAMzRHm2mWhGbAnk4ZTdS1oJ0');
  });

  it('a numeric tag', () => {
    const file = write(devWith(TAGS, `${TAGS}\n    costCenter: 1234`));
    expectOneLineError(platform(['plan', '--config', file]), new RegExp(`^platform: ${file}: platform:tags\\.costCenter: expected a text tag value .*\\(got 1234\\)$`));
  });
});
