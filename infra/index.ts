// Entry point named in Pulumi.yaml: `pulumi up -s dev|prod` runs this; the returned object
// becomes the stack outputs.
import { program } from './program';

export = program;
