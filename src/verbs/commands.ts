import type { Command } from '../inputs/schema';
import { deploy } from './deploy';
import { run } from './run';
import { build } from './build';
import type { Verb } from './verb';

/** Each command of the schema, by its name. */
export const VERBS: Record<Command, Verb> = { deploy, run, build };
