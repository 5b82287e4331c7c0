/** YAML reading shared by config, manifests and suites: one-line errors naming file, line and column. */
import { parse, parseAllDocuments, YAMLParseError, type Document } from 'yaml';
import { UserError } from './errors';

/** One-line description of a YAML parse error: `<file>: YAML syntax error at line L, column C: <reason>`. */
export function yamlErrorMessage(err: YAMLParseError, file: string): string {
  const pos = err.linePos?.[0];
  const where = pos ? ` at line ${pos.line}, column ${pos.col}` : '';
  const reason = err.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
  return `${file}: YAML syntax error${where}: ${reason}`;
}

/** Parses a single-document YAML text; syntax errors and duplicate keys become UserErrors. */
export function parseYaml(text: string, file: string): unknown {
  try {
    return parse(text, { prettyErrors: true, uniqueKeys: true });
  } catch (err) {
    if (err instanceof YAMLParseError) throw new UserError(yamlErrorMessage(err, file));
    throw err;
  }
}

/**
 * Parses every document of a (possibly multi-document) YAML text into plain values, skipping
 * empty documents. The first syntax error anywhere in the text is a UserError.
 */
export function parseYamlDocuments(text: string, file: string): unknown[] {
  const docs: Document.Parsed[] = parseAllDocuments(text, { prettyErrors: true, uniqueKeys: true }) as Document.Parsed[];
  const out: unknown[] = [];
  for (const doc of docs) {
    const err = doc.errors[0];
    if (err) throw new UserError(yamlErrorMessage(err, file));
    const value: unknown = doc.toJS({ maxAliasCount: 100 });
    if (value !== null && value !== undefined) out.push(value);
  }
  return out;
}
