/** `platform check`: see ../shared/DESIGN.md (CLI contract). */
import { UserError } from '../../lib/errors';

export async function run(..._args: unknown[]): Promise<number> {
  throw new UserError('check: not built yet');
}
