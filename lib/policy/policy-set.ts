/**
 * A set of compiled templates and their constraints, ready to review objects: what `platform check`
 * and `platform verify` evaluate. Templates are compiled once; constraints are matched per object.
 */
import { UserError } from '../errors';
import { exemptionIndex } from './exemptions';
import type { Inventory } from './inventory-rules';
import {
  compileTemplate,
  prepareConstraint,
  prepareReview,
  type CompiledTemplate,
  type PreparedConstraint,
  type Review,
  type Violation,
} from './engine';

type Obj = Record<string, unknown>;

interface Bound {
  readonly constraint: PreparedConstraint;
  readonly template: CompiledTemplate;
  /** The template's values for this constraint that do not depend on the review (see CompiledTemplate.evaluate). */
  readonly constants: unknown[];
}

/** An object together with where it came from, for error messages. */
export interface Sourced {
  readonly object: Obj;
  readonly where: string;
}

export class PolicySet {
  private readonly templates = new Map<string, CompiledTemplate>();
  private readonly bound: Bound[] = [];
  /** Constraints whose `match.kinds` admit a group and kind, in constraint order, by `group/kind`. */
  private readonly byKind = new Map<string, Bound[]>();
  /** Templates without K8sNativeValidation code, which this engine cannot evaluate. */
  readonly skippedTemplates: string[] = [];
  /**
   * Rego templates that read other objects, evaluated by the offline equivalent of their Rego
   * (inventory-rules.ts) when the review comes with an inventory, never by the Rego itself.
   */
  readonly equivalentTemplates: string[] = [];

  /** A later template with the same kind replaces an earlier one (input templates override the library's). */
  constructor(templates: readonly Sourced[], constraints: readonly Sourced[]) {
    for (const t of templates) {
      const compiled = compileTemplate(t.object);
      this.templates.set(compiled.kind, compiled);
    }
    for (const t of this.templates.values()) {
      if (t.inventoryRule) this.equivalentTemplates.push(t.name);
      else if (!t.hasCel) this.skippedTemplates.push(t.name);
    }
    for (const c of constraints) {
      const prepared = prepareConstraint(c.object, c.where);
      const template = this.templates.get(prepared.kind);
      if (!template) throw new UserError(`${c.where}: constraint ${prepared.name} has kind ${JSON.stringify(prepared.kind)}, which no ConstraintTemplate defines`);
      if (!template.hasCel && !template.inventoryRule) continue;
      // A constraint with the kind and name of an earlier one replaces it (e.g. the library's own
      // constraints rendered by the gatekeeper chart and checked alongside the library).
      const same = this.bound.findIndex((b) => b.constraint.kind === prepared.kind && b.constraint.name === prepared.name);
      if (same === -1) this.bound.push({ constraint: prepared, template, constants: [] });
      else this.bound[same] = { constraint: prepared, template, constants: [] };
    }
  }

  get constraintCount(): number {
    return this.bound.length;
  }

  /** The constraints evaluated, in order. */
  get constraints(): PreparedConstraint[] {
    return this.bound.map((b) => b.constraint);
  }

  /**
   * Violations of every matching constraint, in constraint order. `onExempt` hears of each matching
   * constraint whose exemption (by index) covers the object. Constraints of templates evaluated by an
   * offline equivalent are evaluated only with an `inventory` (the other objects they read, which also
   * counts the objects judged), and skip the objects their exemptions cover, as their Rego does.
   */
  review(review: Review, onExempt?: (constraint: PreparedConstraint, exemption: number) => void, inventory?: Inventory): Violation[] {
    const prepared = prepareReview(review);
    const { group, kind } = prepared.target;
    const key = `${group}/${kind}`;
    let candidates = this.byKind.get(key);
    if (candidates === undefined) {
      candidates = this.bound.filter((b) => b.constraint.matcher.matchesKind(group, kind));
      this.byKind.set(key, candidates);
    }
    const out: Violation[] = [];
    for (const { constraint, template, constants } of candidates) {
      if (!constraint.matcher.matchesRest(prepared.target)) continue;
      const rule = template.inventoryRule;
      // A CEL template decides exemptions itself (its `exempt` variable): the index is only counted for it.
      const lookUp = (onExempt !== undefined || rule !== undefined) && constraint.exemptions.length > 0 && review.object !== null;
      const at = lookUp ? exemptionIndex(constraint.exemptions, review.object as Obj) : -1;
      if (onExempt !== undefined && at !== -1) onExempt(constraint, at);
      let messages: readonly string[];
      if (rule === undefined) messages = template.evaluate(constraint, prepared, constants);
      else if (inventory === undefined || review.object === null || at !== -1) messages = [];
      else {
        messages = rule.violations(review.object, inventory);
        inventory.evaluations.set(template.name, (inventory.evaluations.get(template.name) ?? 0) + 1);
      }
      for (const message of messages) {
        out.push({ constraint: constraint.name, constraintKind: constraint.kind, enforcementAction: constraint.enforcementAction, message });
      }
    }
    return out;
  }
}

export function isConstraintTemplate(obj: Obj): boolean {
  return obj.kind === 'ConstraintTemplate' && typeof obj.apiVersion === 'string' && obj.apiVersion.startsWith('templates.gatekeeper.sh/');
}

export function isConstraint(obj: Obj): boolean {
  return typeof obj.apiVersion === 'string' && obj.apiVersion.startsWith('constraints.gatekeeper.sh/');
}
