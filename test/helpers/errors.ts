/** The message of the UserError `fn` throws; fails the test when it throws nothing or something else. */
import { UserError } from '../../lib/errors';

export function userErrorMessage(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(UserError);
    return (err as Error).message;
  }
  throw new Error('expected a UserError, nothing was thrown');
}
