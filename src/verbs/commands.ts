import type { Command } from '../inputs/schema';
import { continueCommand } from './continue';
import { deploy } from './deploy';
import { rollbackCommand } from './rollback';
import { statusCommand } from './status';
import { run } from './run';
import { build } from './build';
import type { Verb } from './verb';

/** Each command of the schema, by its name. */
export const VERBS: Record<Command, Verb> = { deploy, continue: continueCommand, rollback: rollbackCommand, status: statusCommand, run, build };
