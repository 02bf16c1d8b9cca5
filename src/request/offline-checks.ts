// When the run stops at an input error anyway, the templates are checked too, so that their problems come
// in the same report as those of the config file (the deploy itself checks them again in its preflight).
import { InputError } from '../shared/errors';
import type { Inputs } from '../inputs/parse';
import { parseVarLines, readVarsFile } from '../inputs/vars';
import { loadTemplate, parseTaskDefinition } from '../taskdef/load';
import { buildLookup } from '../taskdef/render';
import { renderTemplate } from '../taskdef/template';

/** A service's template problems: its file, its vars and its placeholders; `images` are the IMAGE_<NAME> references. */
export function templateProblems(inputs: Inputs, env: NodeJS.ProcessEnv, images: Record<string, string>): string[] {
  if (!inputs.taskDefinition || inputs.taskDefinitionArn || inputs.redeploy) return [];
  const problems: string[] = [];
  const attempt = <T>(work: () => T): T | undefined => {
    try {
      return work();
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      problems.push(...error.problems);
      return undefined;
    }
  };
  const vars = attempt(() => parseVarLines(inputs.vars, 'vars'));
  const fileVars = inputs.varsFile ? attempt(() => readVarsFile(inputs.varsFile, 'vars-file')) : {};
  const template = attempt(() => parseTaskDefinition(loadTemplate(inputs.taskDefinition), inputs.taskDefinition));
  // Placeholders are only judged with every var read: a var of a broken line would look undefined.
  if (template && vars && fileVars) {
    const lookup = buildLookup([{ IMAGE: inputs.image || 'image', ...images }, vars, fileVars, env as Record<string, string | undefined>]);
    attempt(() => renderTemplate(template, inputs.taskDefinition, lookup));
  }
  return problems;
}

/** The services' readInputs problems without those of the settings the file's own problems are about. */
export function withoutFileEchoes(problems: string[], fileProblems: string[], file: string, service: string): string[] {
  const keys = new Set<string>();
  for (const problem of fileProblems) {
    const at = new RegExp(`^${escape(file)}:\\d+: (?:services\\.${escape(service)}\\.|environments\\.[a-z0-9-]+\\.|images\\.[a-z0-9-]+\\.)?([a-z-]+):`).exec(problem);
    if (at) keys.add(at[1]);
  }
  return problems.filter((problem) => !keys.has(problem.slice(0, problem.indexOf(':'))));
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
