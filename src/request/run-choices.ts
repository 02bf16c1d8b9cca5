// What the step was given for the run that the services it deploys cannot all follow.
import type { AppConfig } from '../config/config-types';
import { inputName } from '../inputs/spelling';

/** `given` reads an input given to the step; `selected` are the services named ([]: all of them). */
export function runChoiceProblems(config: AppConfig, selected: string[], given: (name: string) => string): string[] {
  const chosen = config.services.map((s) => s.name).filter((name) => selected.length === 0 || selected.includes(name));
  const problems: string[] = [];
  const scheduled = given('scheduled-tasks');
  if (scheduled && !/^(true|false)$/i.test(scheduled) && chosen.length > 1) {
    problems.push(
      `scheduled-tasks: names rules or schedules for each of the ${chosen.length} services deployed (${chosen.join(', ')}), but each runs one service's family. Expected true or false, or the names under services.<name>.scheduled-tasks in ${config.file}.`,
    );
  }
  const migrationService = config.migration?.service;
  if (given('migration-command') && migrationService && !chosen.includes(migrationService)) {
    problems.push(
      `migration-command: given, but the migration runs with ${migrationService}'s revision, and ${migrationService} is not among the services deployed (${chosen.join(', ')}). Expected ${migrationService} among ${inputName('services')}, or no ${inputName('migration-command')}.`,
    );
  }
  return problems;
}
