/** The one-home readers of lib/: untyped values, severities, apiVersions. */
import { parseApiVersion } from '../../lib/api-version';
import { compareSeverity, isSeverity, SEVERITIES, severityAtLeast } from '../../lib/severity';
import { asArray, asList, asObject, fieldsOf, isObject, isTrue, stringsOf } from '../../lib/untyped';

describe('untyped values', () => {
  it('GIVEN maps, lists and scalars WHEN read THEN only plain maps count as maps', () => {
    expect([{}, [], null, 'x', 1].map(isObject)).toEqual([true, false, false, false, false]);
    expect(asObject({ a: 1 })).toEqual({ a: 1 });
    expect(asObject([1])).toBeUndefined();
    expect(fieldsOf(undefined)).toEqual({});
    expect(fieldsOf({ a: 1 })).toEqual({ a: 1 });
  });

  it('GIVEN one value or many WHEN read as lists THEN a single value becomes a one-element list', () => {
    expect(asArray('x')).toEqual([]);
    expect(asList('x')).toEqual(['x']);
    expect(asList(undefined)).toEqual([]);
    expect(stringsOf(['s3:GetObject', 3, 's3:PutObject'])).toEqual(['s3:GetObject', 's3:PutObject']);
    expect(stringsOf('sts:AssumeRole')).toEqual(['sts:AssumeRole']);
  });

  it('GIVEN provider booleans WHEN read THEN true and "true" are true, nothing else', () => {
    expect([true, 'true', 'TRUE', 1, false].map(isTrue)).toEqual([true, true, false, false, false]);
  });
});

describe('severities', () => {
  it('GIVEN the four severities WHEN sorted THEN the most severe comes first', () => {
    expect([...SEVERITIES].reverse().sort(compareSeverity)).toEqual(['critical', 'high', 'medium', 'low']);
  });

  it('GIVEN a threshold WHEN compared THEN it and anything worse reach it', () => {
    expect(SEVERITIES.filter((s) => severityAtLeast(s, 'high'))).toEqual(['critical', 'high']);
    expect(isSeverity('medium')).toBe(true);
    expect(isSeverity('urgent')).toBe(false);
  });
});

describe('apiVersion', () => {
  it('GIVEN grouped and core apiVersions WHEN parsed THEN group and version split at the first slash', () => {
    expect(parseApiVersion('apps/v1')).toEqual({ group: 'apps', version: 'v1' });
    expect(parseApiVersion('rbac.authorization.k8s.io/v1')).toEqual({ group: 'rbac.authorization.k8s.io', version: 'v1' });
    expect(parseApiVersion('v1')).toEqual({ group: '', version: 'v1' });
  });
});
