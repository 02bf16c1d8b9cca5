// What a service's inputs say once parsed (the template, the vars, the migration command, the secret vars):
// all that can be read and checked without AWS.
import { parseCommand } from '../inputs/argv';
import type { Inputs } from '../inputs/parse';
import { parseList } from '../image/lines';
import { varsSources } from '../inputs/spelling';
import { parseVarLines, readVarsFile, VAR_NAME } from '../inputs/vars';
import type { RunImages } from '../taskdef/image';
import { loadTemplate, parseTaskDefinition } from '../taskdef/load';
import { buildLookup } from '../taskdef/render';
import type { Definition } from '../taskdef/types';
import { InputError } from '../shared/errors';

/** What can be read and checked without AWS. */
export interface ParsedInputs {
  template?: Definition;
  lookup: (name: string) => string | undefined;
  migrationCommand: string[];
  /** The vars named in secret-vars, with the values the template would get. */
  secretVars: Array<{ name: string; value: string }>;
  /** A whole app's images by placeholder (IMAGE_APP → reference), and the placeholder of the service's own image. */
  images?: { references: RunImages; own?: string };
}

/** Collects InputError problems instead of stopping at the first, so all are reported together. */
export class Problems {
  readonly list: string[] = [];

  async attempt<T>(work: () => T | Promise<T>): Promise<T | undefined> {
    try {
      return await work();
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      this.list.push(...error.problems);
      return undefined;
    }
  }

  throwIfAny(): void {
    if (this.list.length > 0) throw new InputError(this.list);
  }
}

export async function parseServiceInputs(inputs: Inputs, env: NodeJS.ProcessEnv, problems: Problems): Promise<ParsedInputs> {
  const migrationCommand = (await problems.attempt(() => parseCommand(inputs.migrationCommand, 'migration-command'))) ?? [];
  const before = problems.list.length;
  const vars = (await problems.attempt(() => parseVarLines(inputs.vars, 'vars'))) ?? {};
  const fileVars = inputs.varsFile ? ((await problems.attempt(() => readVarsFile(inputs.varsFile, 'vars-file'))) ?? {}) : {};
  const lookup = buildLookup([vars, fileVars, env as Record<string, string | undefined>]);
  const ownSecretVars = (await problems.attempt(() => readSecretVars(inputs.secretVars, lookup, problems.list.length === before))) ?? [];
  const secretVars = [...ownSecretVars, ...othersSecretVars(inputs.runSecretVars ?? [], lookup, ownSecretVars)];
  const template = inputs.taskDefinition
    ? await problems.attempt(async () => parseTaskDefinition(await loadTemplate(inputs.taskDefinition), inputs.taskDefinition) as Definition)
    : undefined;
  return { template, lookup, migrationCommand, secretVars };
}

/**
 * The vars secret-vars names, resolved as the template resolves them (vars, vars-file, environment).
 * A name defined nowhere is a problem: a typo there would leave the real secret unmasked.
 * `varsRead` is false when vars or vars-file had problems of their own (then a missing name proves nothing).
 */
function readSecretVars(text: string, lookup: ParsedInputs['lookup'], varsRead: boolean): ParsedInputs['secretVars'] {
  const problems: string[] = [];
  const found: ParsedInputs['secretVars'] = [];
  for (const name of [...new Set(parseList(text))]) {
    if (!VAR_NAME.test(name)) {
      problems.push(`secret-vars: "${name}" is not a var name. Expected names such as DB_PASSWORD, one per line or separated by commas.`);
      continue;
    }
    const value = lookup(name);
    if (value !== undefined) found.push({ name, value });
    else if (varsRead) problems.push(`secret-vars: ${name} is not defined in ${varsSources()} or the environment.`);
  }
  if (problems.length > 0) throw new InputError(problems);
  return found;
}

/** The names other services of the run mark secret that this one defines too; the others are not its concern. */
function othersSecretVars(names: string[], lookup: ParsedInputs['lookup'], own: ParsedInputs['secretVars']): ParsedInputs['secretVars'] {
  const found: ParsedInputs['secretVars'] = [];
  for (const name of names.filter((n) => VAR_NAME.test(n) && !own.some((o) => o.name === n))) {
    const value = lookup(name);
    if (value !== undefined) found.push({ name, value });
  }
  return found;
}

