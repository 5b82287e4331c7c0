/**
 * How components name their children. Every component takes `(name, args, opts)` and names each
 * child from its own name (`<name>-<what>`, or `<name>` itself for its main resource), so a second
 * instance never collides with the first.
 *
 * Until #14 each component existed once, under a fixed name, and named its children without it.
 * Existing stacks hold those URNs. On the instance that keeps the fixed name, each renamed child
 * carries an alias to its former name, so `pulumi up` moves it in the state instead of replacing it
 * (test/infra/aliases.test.ts checks every former URN is reached). Any other instance is new: it
 * carries no alias, since two resources must never claim one former URN.
 */
import type * as pulumi from '@pulumi/pulumi';

/** Options for a child: parented to the component; `was` is its name before #14, when that differs. */
export type ChildOptions = (was?: string, extra?: pulumi.CustomResourceOptions) => pulumi.CustomResourceOptions;

/**
 * Child options of component `parent`. `held`: this is the instance existing stacks hold (it has the
 * name the component always had before #14), so its renamed children alias their former names.
 */
export function childOptions(parent: pulumi.Resource, held: boolean): ChildOptions {
  return (was, extra = {}) => ({ ...extra, parent, ...(held && was !== undefined ? { aliases: [...(extra.aliases ?? []), { name: was }] } : {}) });
}
