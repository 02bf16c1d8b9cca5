// Messages name inputs the way the person wrote them: `force-build: true` in a workflow,
// `FORCE_BUILD: "true"` in a pipe, `--force-build` on the command line. The front end says which
// (FrontEnd.spelling), and the run is carried out within that wording (inWording): each run has its own.
import { AsyncLocalStorage } from 'node:async_hooks';
import { INPUTS, toUpperSnake } from './schema';

export type Spelling = 'action' | 'pipe' | 'cli';

export interface Wording {
  spelling: Spelling;
  /** A whole app's settings come from its config file as well as from the step: messages say so. */
  configFile?: string;
}

const wordings = new AsyncLocalStorage<Wording>();
const UNSAID: Wording = { spelling: 'action' };

const wording = (): Wording => wordings.getStore() ?? UNSAID;

/** Runs `work` (and everything it starts) in a front end's wording. */
export function inWording<T>(given: Wording, work: () => T): T {
  return wordings.run(given, work);
}

/** Runs `work` in the current wording, with the config file its messages name. */
export function withConfigFile<T>(configFile: string | undefined, work: () => T): T {
  return wordings.run({ ...wording(), configFile }, work);
}

/** Where a var can be defined, as a message's words (without the environment). */
export function varsSources(): string {
  const { configFile } = wording();
  return configFile ? `vars or vars-file (in ${configFile} or given to the step)` : `${inputName('vars')}, ${inputName('vars-file')}`;
}

/** The input's name as the person wrote it. */
export function inputName(name: string): string {
  const { spelling } = wording();
  if (spelling === 'cli') return `--${name}`;
  return spelling === 'pipe' ? toUpperSnake(name) : name;
}

/** An input set to a value, as the person would write it. */
export function setting(name: string, value: string | boolean): string {
  const { spelling } = wording();
  if (spelling === 'cli') return typeof value === 'boolean' ? `--${value ? '' : 'no-'}${name}` : `--${name} ${value}`;
  return spelling === 'pipe' ? `${toUpperSnake(name)}: "${value}"` : `${name}: ${value}`;
}

/** That an input has a value, as a sentence's subject: `rollback is false`, `--no-rollback is given`. */
export function stated(name: string, value: string | boolean): string {
  const { spelling } = wording();
  if (spelling === 'cli') return `${setting(name, value)} is given`;
  return spelling === 'pipe' ? `${toUpperSnake(name)} is "${value}"` : `${name} is ${value}`;
}

/** A problem, which starts with the name of its input (`build: expected …`), with that name spelled the person's way. */
export function spellProblem(problem: string): string {
  const colon = problem.indexOf(': ');
  const name = problem.slice(0, colon);
  return colon > 0 && INPUTS.some((spec) => spec.name === name) ? `${inputName(name)}${problem.slice(colon)}` : problem;
}
