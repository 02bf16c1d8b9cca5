// Messages name inputs the way the person wrote them: `force-build: true` in a workflow,
// `FORCE_BUILD: "true"` in a pipe, `--force-build` on the command line. The front end that reads the
// inputs says which, once, before anything is checked.
import { INPUTS, toUpperSnake } from './schema';

export type Spelling = 'action' | 'pipe' | 'cli';

let spelling: Spelling = 'action';

export function useSpelling(style: Spelling): void {
  spelling = style;
}

let configFile: string | undefined;

/** A whole app's settings come from its config file as well as from the step: messages say so. */
export function useConfigFile(file: string | undefined): void {
  configFile = file;
}

/** Where a var can be defined, as a message's words (without the environment). */
export function varsSources(): string {
  return configFile ? `vars or vars-file (in ${configFile} or given to the step)` : `${inputName('vars')}, ${inputName('vars-file')}`;
}

/** The input's name as the person wrote it. */
export function inputName(name: string): string {
  if (spelling === 'cli') return `--${name}`;
  return spelling === 'pipe' ? toUpperSnake(name) : name;
}

/** An input set to a value, as the person would write it. */
export function setting(name: string, value: string | boolean): string {
  if (spelling === 'cli') return typeof value === 'boolean' ? `--${value ? '' : 'no-'}${name}` : `--${name} ${value}`;
  return spelling === 'pipe' ? `${toUpperSnake(name)}: "${value}"` : `${name}: ${value}`;
}

/** That an input has a value, as a sentence's subject: `rollback is false`, `--no-rollback is given`. */
export function stated(name: string, value: string | boolean): string {
  if (spelling === 'cli') return `${setting(name, value)} is given`;
  return spelling === 'pipe' ? `${toUpperSnake(name)} is "${value}"` : `${name} is ${value}`;
}

/** A problem, which starts with the name of its input (`build: expected …`), with that name spelled the person's way. */
export function spellProblem(problem: string): string {
  const colon = problem.indexOf(': ');
  const name = problem.slice(0, colon);
  return colon > 0 && INPUTS.some((spec) => spec.name === name) ? `${inputName(name)}${problem.slice(colon)}` : problem;
}
