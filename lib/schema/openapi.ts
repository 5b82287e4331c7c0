/**
 * A small validator for the OpenAPI v3 subset that CRD structural schemas use: type, properties,
 * required, additionalProperties, items, enum, pattern, min/max (length, items, value), anyOf and
 * `x-kubernetes-int-or-string` / `x-kubernetes-preserve-unknown-fields`.
 *
 * Stricter than the API server in one way on purpose: an object schema that lists `properties`
 * refuses fields it does not list (the API server would silently prune them, hiding a typo).
 */

export interface OpenApiSchema {
  readonly type?: 'object' | 'array' | 'string' | 'integer' | 'number' | 'boolean';
  readonly properties?: Readonly<Record<string, OpenApiSchema>>;
  readonly required?: readonly string[];
  readonly additionalProperties?: boolean | OpenApiSchema;
  readonly items?: OpenApiSchema;
  readonly enum?: readonly (string | number | boolean)[];
  readonly pattern?: string;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly minItems?: number;
  readonly maxItems?: number;
  readonly anyOf?: readonly OpenApiSchema[];
  readonly 'x-kubernetes-int-or-string'?: boolean;
  readonly 'x-kubernetes-preserve-unknown-fields'?: boolean;
}

export interface SchemaIssue {
  /** Dotted field path from the object root, e.g. `spec.disruption.budgets[0].nodes`. */
  readonly path: string;
  readonly message: string;
}

const patternCache = new Map<string, RegExp>();
function regex(pattern: string): RegExp {
  let re = patternCache.get(pattern);
  if (!re) {
    re = new RegExp(pattern, 'u');
    patternCache.set(pattern, re);
  }
  return re;
}

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

function describe(value: unknown): string {
  const json = JSON.stringify(value) ?? String(value);
  return json.length > 60 ? `${json.slice(0, 57)}...` : json;
}

function join(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  return path === '' ? key : `${path}.${key}`;
}

/** Validates `value` against `schema`; returns every issue found (empty when valid). */
export function validateOpenApi(value: unknown, schema: OpenApiSchema, path = ''): SchemaIssue[] {
  const issues: SchemaIssue[] = [];
  check(value, schema, path, issues);
  return issues;
}

function check(value: unknown, schema: OpenApiSchema, path: string, issues: SchemaIssue[]): void {
  if (schema.anyOf) {
    const ok = schema.anyOf.some((alt) => validateOpenApi(value, alt, path).length === 0);
    if (!ok) issues.push({ path, message: `must match one of ${schema.anyOf.map((a) => a.type ?? 'schema').join(' or ')} (got ${describe(value)})` });
  }
  const actual = typeOf(value);
  if (schema['x-kubernetes-int-or-string']) {
    if (actual !== 'integer' && actual !== 'string') issues.push({ path, message: `must be an integer or a string (got ${describe(value)})` });
    if (actual === 'string' && schema.pattern && !regex(schema.pattern).test(value as string)) {
      issues.push({ path, message: `must match ${schema.pattern} (got ${describe(value)})` });
    }
    return;
  }
  if (schema.type) {
    const fits = schema.type === actual || (schema.type === 'number' && actual === 'integer');
    if (!fits) {
      issues.push({ path, message: `must be ${schema.type === 'integer' || schema.type === 'object' || schema.type === 'array' ? 'an' : 'a'} ${schema.type} (got ${describe(value)})` });
      return;
    }
  }
  if (schema.enum && !schema.enum.includes(value as string)) {
    issues.push({ path, message: `must be one of ${schema.enum.join(', ')} (got ${describe(value)})` });
  }
  switch (actual) {
    case 'string': {
      const s = value as string;
      if (schema.pattern && !regex(schema.pattern).test(s)) issues.push({ path, message: `must match ${schema.pattern} (got ${describe(s)})` });
      if (schema.minLength !== undefined && s.length < schema.minLength) issues.push({ path, message: `must be at least ${schema.minLength} characters long (got ${describe(s)})` });
      if (schema.maxLength !== undefined && s.length > schema.maxLength) issues.push({ path, message: `must be at most ${schema.maxLength} characters long (got ${s.length})` });
      return;
    }
    case 'integer':
    case 'number': {
      const n = value as number;
      if (schema.minimum !== undefined && n < schema.minimum) issues.push({ path, message: `must be >= ${schema.minimum} (got ${n})` });
      if (schema.maximum !== undefined && n > schema.maximum) issues.push({ path, message: `must be <= ${schema.maximum} (got ${n})` });
      return;
    }
    case 'array': {
      const a = value as unknown[];
      if (schema.minItems !== undefined && a.length < schema.minItems) issues.push({ path, message: `must have at least ${schema.minItems} item(s) (got ${a.length})` });
      if (schema.maxItems !== undefined && a.length > schema.maxItems) issues.push({ path, message: `must have at most ${schema.maxItems} items (got ${a.length})` });
      if (schema.items) a.forEach((item, i) => check(item, schema.items as OpenApiSchema, join(path, i), issues));
      return;
    }
    case 'object': {
      const o = value as Record<string, unknown>;
      for (const key of schema.required ?? []) {
        if (o[key] === undefined) issues.push({ path: join(path, key), message: 'is required' });
      }
      const props = schema.properties;
      for (const [key, child] of Object.entries(o)) {
        if (child === undefined) continue;
        const sub = props?.[key];
        if (sub) {
          check(child, sub, join(path, key), issues);
        } else if (typeof schema.additionalProperties === 'object') {
          check(child, schema.additionalProperties, join(path, key), issues);
        } else if (props && schema.additionalProperties !== true && !schema['x-kubernetes-preserve-unknown-fields']) {
          issues.push({ path: join(path, key), message: `is not a known field (known: ${Object.keys(props).join(', ')})` });
        }
      }
      return;
    }
    default:
      return;
  }
}

/** The schema of a whole custom resource: apiVersion, kind, free-form metadata, and the given spec. */
export function customResourceSchema(spec: OpenApiSchema, opts: { specRequired?: boolean } = {}): OpenApiSchema {
  return {
    type: 'object',
    ...(opts.specRequired === false ? {} : { required: ['spec'] }),
    properties: {
      apiVersion: { type: 'string' },
      kind: { type: 'string' },
      metadata: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
      spec,
    },
  };
}
