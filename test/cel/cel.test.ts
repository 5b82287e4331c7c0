import { CelCompileError, evaluate } from '../../lib/cel';
import { rewriteOptionalSyntax } from '../../lib/cel/syntax';

const pod = {
  metadata: { name: 'web', labels: { 'app.kubernetes.io/name': 'web' } },
  spec: { replicas: 3, containers: [{ name: 'a', securityContext: { privileged: true } }, { name: 'b' }] },
};

function value(expr: string, bindings: Record<string, unknown> = { o: pod }): unknown {
  const r = evaluate(expr, bindings);
  if ('error' in r) throw new Error(`unexpected CEL error: ${r.error}`);
  return r.value;
}

function error(expr: string, bindings: Record<string, unknown> = { o: pod }): string {
  const r = evaluate(expr, bindings);
  return 'error' in r ? r.error : `no error, value ${JSON.stringify(r.value)}`;
}

describe('optional syntax', () => {
  it('GIVEN x.?field chains WHEN fields are absent THEN the chain is optional.none and orValue supplies the default', () => {
    expect(value('o.?spec.template.spec.orValue("none")')).toBe('none');
    expect(value('o.?spec.replicas.orValue(0)')).toBe(3);
    expect(value('o.spec.containers[1].?securityContext.privileged.hasValue()')).toBe(false);
  });

  it('GIVEN x[?key] WHEN the key or index is present or absent THEN optional values result', () => {
    expect(value('o.metadata.labels[?"app.kubernetes.io/name"].orValue("")')).toBe('web');
    expect(value('o.metadata.labels[?"team"].orValue("unset")')).toBe('unset');
    expect(value('o.spec.containers[?5].hasValue()')).toBe(false);
  });

  it('GIVEN optional functions WHEN used THEN of/none/or/value/optMap behave as in cel-go', () => {
    expect(value('optional.none().or(optional.of(2)).value()')).toBe(2);
    expect(value('optional.ofNonZeroValue("").hasValue()')).toBe(false);
    expect(value('optional.of(4).optMap(v, v * 2).value()')).toBe(8);
    expect(value('[?optional.none(), ?optional.of(1), 2]')).toEqual([1, 2]);
    expect(error('optional.none().value()')).toBe('optional.none() dereference');
    expect(error('optional.of(1).orValue()', {})).toBe("found no matching overload for 'orValue' applied to 'optional_type.()'");
  });

  it('GIVEN optional chains compiled as one walk WHEN compared with the same chain evaluated step by step THEN results and errors agree', () => {
    // cel.bind(x, <chain head>, <rest>) interrupts the chain, so the second form is evaluated select by select.
    const cases: [string, string, Record<string, unknown>][] = [
      ['o.?a.b.c.orValue(0)', 'cel.bind(h, o.?a, h.b.c).orValue(0)', { o: { a: { b: { c: 7 } } } }],
      ['o.?a.b.c.orValue(0)', 'cel.bind(h, o.?a, h.b.c).orValue(0)', { o: { a: { b: {} } } }],
      ['o.?a.b.c.orValue(0)', 'cel.bind(h, o.?a, h.b.c).orValue(0)', { o: { a: null } }],
      ['o.?a.b.c.orValue(0)', 'cel.bind(h, o.?a, h.b.c).orValue(0)', { o: { a: { b: 'text' } } }],
      ['o.?a.b.hasValue()', 'cel.bind(h, o.?a, h.b).hasValue()', { o: { a: { b: false } } }],
      ['o.?a.b.value()', 'cel.bind(h, o.?a, h.b).value()', { o: {} }],
      ['o.?a.b', 'cel.bind(h, o.?a, h.b)', { o: { a: { b: [1] } } }],
      ['o.x.?a.orValue(1)', 'cel.bind(h, o.x, h.?a).orValue(1)', { o: {} }],
    ];
    for (const [fused, stepwise, bindings] of cases) expect([fused, evaluate(fused, bindings)]).toEqual([fused, evaluate(stepwise, bindings)]);
    expect(evaluate('o.?a.b.c.orValue(0)', { o: { a: { b: 'text' } } })).toEqual({ error: 'invalid type for field selection: string' });
    expect(evaluate('o.?a.b.value()', { o: {} })).toEqual({ error: 'optional.none() dereference' });
  });

  it('GIVEN an optional chain WHEN its base is an optional, or the field holds an optional THEN one level is unwrapped, as step by step', () => {
    expect(value('optional.none().?a.orValue(3)', {})).toBe(3);
    expect(value('optional.of({"a": 1}).?a.orValue(3)', {})).toBe(1);
    expect(value('{"a": optional.none()}.?a.hasValue()', {})).toBe(true);
    expect(error('{"a": optional.of({"b": 1})}.?a.b.orValue(0)', {})).toBe('invalid type for field selection: optional_type');
  });

  it('GIVEN orValue with a default that errors WHEN the value is present THEN the call errors (arguments are strict)', () => {
    expect(error('o.?metadata.name.orValue(1 / 0)')).toBe('division by zero');
  });

  it('GIVEN string literals containing ".?" WHEN rewriting THEN strings are left untouched', () => {
    expect(rewriteOptionalSyntax('x.?a == ".?b" && y[?"k"]')).toBe('x.__opt__a == ".?b" && y[__opt_index__("k")]');
    expect(value('".?b[?" + "x"', {})).toBe('.?b[?x');
  });
});

describe('core semantics', () => {
  it('GIVEN YAML integers WHEN used in arithmetic THEN they are CEL int, and int + double has no overload', () => {
    expect(value('o.spec.replicas + 1')).toBe(4);
    expect(value('type(o.spec.replicas) == int')).toBe(true);
    expect(error('o.spec.replicas + 1.5')).toBe("found no matching overload for '_+_' applied to '(int, double)'");
    expect(value('o.spec.replicas == 3.0')).toBe(true);
  });

  it('GIVEN macros WHEN evaluated THEN all/exists/exists_one/map/filter match CEL', () => {
    expect(value('o.spec.containers.map(c, c.name)')).toEqual(['a', 'b']);
    expect(value('o.spec.containers.filter(c, has(c.securityContext)).map(c, c.name)')).toEqual(['a']);
    expect(value('[1, 2, 3].map(x, x > 1, x * 10)', {})).toEqual([20, 30]);
    expect(value('[1, 2, 3].exists_one(x, x > 2)', {})).toBe(true);
    expect(value('{"a": 1, "b": 2}.all(k, k.size() == 1)', {})).toBe(true);
  });

  it('GIVEN an error on one side of && or || WHEN the other side decides THEN the error is absorbed', () => {
    expect(value('o.missing == 1 || true')).toBe(true);
    expect(value('false && o.missing == 1')).toBe(false);
    expect(value('[1, 2].all(x, x == 1 ? o.missing : false)')).toBe(false);
    expect(error('o.missing == 1 || false')).toBe('no such key: missing');
  });

  it('GIVEN exists and all (run as loops) WHEN elements error or are not bools THEN results and errors are those of the || / && fold', () => {
    expect(value('[1, 2].exists(x, x == 1 ? o.missing : x == 2)')).toBe(true);
    expect(value('[1, 2].all(x, x == 1 ? o.missing : x == 5)')).toBe(false);
    expect(error('[1, 2].exists(x, x == 1 ? o.missing : false)')).toBe('no such key: missing');
    expect(error('[1, 2].all(x, x == 2 ? o.missing : true)')).toBe('no such key: missing');
    expect(error('[1].exists(x, x)', {})).toBe("no matching overload for '_||_' applied to '(bool, int)'");
    expect(value('[].all(x, false) && ![].exists(x, true)', {})).toBe(true);
    expect(value('{"a": 1, "b": 2}.exists(k, k == "b") && [[1], [2, 3]].all(l, l.exists(x, x > 0))', {})).toBe(true);
    expect(error('o.spec.replicas.exists(x, true)')).toBe("expression of type 'int' cannot be range of a comprehension (must be list, map, or dynamic)");
  });

  it('GIVEN constant list and map literals (built once, shared) WHEN combined or reused THEN every evaluation sees the same values', () => {
    expect(value('[[1], [2]].map(l, l + [0]) + [[1], [2]]', {})).toEqual([[1, 0], [2, 0], [1], [2]]);
    expect(value('{"a": [1]}.a + [2] == [1, 2] && {"a": [1]}.a == [1]', {})).toBe(true);
    expect(error('{"a": 1, "a": 2}', {})).toBe('map key conflict: a');
  });

  it('GIVEN has() WHEN fields are present, absent or on null THEN it tests presence', () => {
    expect(value('has(o.spec.containers)')).toBe(true);
    expect(value('has(o.spec.volumes)')).toBe(false);
    expect(value('has(n.x)', { n: null })).toBe(false);
  });

  it('GIVEN cel.bind WHEN evaluated THEN the name is bound in the body', () => {
    expect(value('cel.bind(n, o.spec.containers.size(), n * n)')).toBe(4);
  });

  it('GIVEN unknown names or functions WHEN compiling THEN a CelCompileError names them', () => {
    expect(() => evaluate('nope.x', {})).toThrow(new CelCompileError("undeclared reference to 'nope'"));
    expect(() => evaluate('"a".frobnicate()', {})).toThrow("undeclared reference to 'frobnicate'");
    // Names of JavaScript's Object.prototype are not CEL functions.
    expect(() => evaluate('"a".toString()', {})).toThrow("undeclared reference to 'toString'");
    expect(() => evaluate('constructor(1)', {})).toThrow("undeclared reference to 'constructor'");
    expect(() => evaluate('[1].hasOwnProperty(0)', {})).toThrow("undeclared reference to 'hasOwnProperty'");
    expect(() => evaluate('1 +', {})).toThrow(/^syntax error: /);
  });
});

describe('Kubernetes libraries', () => {
  it('GIVEN quantities WHEN compared and converted THEN values are exact', () => {
    expect(value('quantity("1.5Gi").isGreaterThan(quantity("1536Mi"))', {})).toBe(false);
    expect(value('quantity("1.5Gi").compareTo(quantity("1536Mi"))', {})).toBe(0);
    expect(value('quantity("500m").asApproximateFloat()', {})).toBe(0.5);
    expect(value('quantity("2k").asInteger()', {})).toBe(2000);
    expect(value('quantity("100m").add(quantity("900m")).isInteger()', {})).toBe(true);
    expect(value('isQuantity("12x")', {})).toBe(false);
    expect(error('quantity("1.5").asInteger()', {})).toBe('cannot convert value to integer (1.5)');
  });

  it('GIVEN url() WHEN parsed THEN its parts are available', () => {
    expect(value('url("https://example.com:8443/a/b?x=1&x=2").getPort()', {})).toBe('8443');
    expect(value('url("https://example.com:8443/a/b?x=1&x=2").getHostname()', {})).toBe('example.com');
    expect(value('url("https://example.com/a/b?x=1&x=2").getQuery()["x"]', {})).toEqual(['1', '2']);
    expect(value('isURL("not a url")', {})).toBe(false);
  });

  it('GIVEN regex, string and list functions WHEN called THEN they follow the Kubernetes libraries', () => {
    expect(value('"image:1.2.3".find("[0-9.]+$")', {})).toBe('1.2.3');
    expect(value('"a1b22".findAll("[0-9]+")', {})).toEqual(['1', '22']);
    expect(value('"(?i)ABC".size() > 0 && "abc".matches("(?i)^ABC$")', {})).toBe(true);
    expect(value('"A,b".lowerAscii().split(",").join("-")', {})).toBe('a-b');
    expect(value('[3, 1, 2].max() + [1, 2].sum()', {})).toBe(6);
    expect(value('[1, 2, 3].isSorted() && [2, 1].indexOf(1) == 1', {})).toBe(true);
    expect(value('sets.contains([1, 2, 3], [2, 3]) && !sets.intersects([1], [2])', {})).toBe(true);
    expect(value('"hello".substring(1, 3) + "x".replace("x", "y")', {})).toBe('ely');
  });

  it('GIVEN matches() with a literal pattern (compiled once) WHEN the receiver is not a string or the pattern is invalid THEN the errors are those of the general call', () => {
    expect(value('["a1", "b", "c22"].filter(s, s.matches("[0-9]+$"))', {})).toEqual(['a1', 'c22']);
    expect(value('"ABC".matches("(?i)^abc$")', {})).toBe(true);
    expect(error('x.matches("a")', { x: 1 })).toBe("found no matching overload for 'matches' applied to 'int.(string)'");
    expect(error('x.matches("a")', { x: { a: 1 } })).toBe("found no matching overload for 'matches' applied to 'map.(string)'");
    expect(error('"a".matches("(")', {})).toMatch(/^invalid regular expression "\(": /);
  });
});
