/** Where the repository's own files are, for code that loads them at run time. Kept free of imports. */
import * as path from 'node:path';

/** The repository root: this file sits one level below it, both as source (lib/) and bundled (build/). */
export const REPO_ROOT = path.resolve(__dirname, '..');
