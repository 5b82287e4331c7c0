/**
 * A Kubernetes-flavoured CEL evaluator: @bufbuild/cel's parser, our compiler and runtime (optional
 * values and syntax, `cel.bind`, Kubernetes quantity/url/regex/list/sets libraries). Used by the
 * Gatekeeper engine in lib/policy/; may be imported by anything in lib/ or cli/.
 */
import { CelCompiler, type Frame } from './compiler';
import { CelErr, fromCel, toCel } from './values';

export { CelCompiler, CelCompileError, type Frame, type Program } from './compiler';
export { CelErr, celToString, fromCel, newMap, Optional, toCel, typeName } from './values';

/** Compiles and evaluates one expression with plain JSON-like bindings; for tests and one-off use. */
export function evaluate(source: string, bindings: Record<string, unknown> = {}): { value: unknown } | { error: string } {
  const names = Object.keys(bindings);
  const compiler = new CelCompiler({ globals: names });
  const program = compiler.compile(source);
  const frame: Frame = { slots: names.map((n) => toCel(bindings[n])), variable: () => new CelErr('no variables') };
  const result = program(frame);
  return result instanceof CelErr ? { error: result.message } : { value: fromCel(result) };
}
