// A problem of a setting the config file gave names the file, its line and its key, not an input that
// nobody passed (`--wait: expected true or false` for a `wait: maybe` in ecs-ship.yml).
import type { AppConfig } from '../config/config-types';
import { MIGRATION_KEYS } from '../config/config-keys';
import { INPUTS } from '../inputs/schema';

/** Where a setting is in the file: its key path, or undefined when the file does not give it. */
export type SettingPath = (input: string) => string | undefined;

/** The key path of the layer a service's setting comes from: the most specific that has it, as serviceSettings layers them. */
export function servicePath(config: AppConfig, environment: string | undefined, service: string): SettingPath {
  const env = config.environments.find((e) => e.name === environment);
  const own = config.services.find((s) => s.name === service);
  const image = config.images.find((i) => i.name === own?.image);
  return (input) => {
    const migrationKey = Object.keys(MIGRATION_KEYS).find((key) => MIGRATION_KEYS[key] === input);
    if (migrationKey && config.migration?.service === service && input in config.migration.settings) return `migration.${migrationKey}`;
    return firstLayer(input, [
      [`environments.${environment}.services.${service}`, env?.services[service]],
      [`services.${service}`, own?.settings],
      [`images.${own?.image}`, image?.settings],
      [`environments.${environment}`, env?.settings],
      ['', config.shared],
    ]);
  };
}

/** The key path of the layer an image's build setting comes from. */
export function imagePath(config: AppConfig, environment: string | undefined, name: string): SettingPath {
  const env = config.environments.find((e) => e.name === environment);
  return (input) => firstLayer(input, [[`images.${name}`, config.images.find((i) => i.name === name)?.settings], [`environments.${environment}`, env?.settings], ['', config.shared]]);
}

/** Each problem of an input (`wait: …`) the file gave, as `<file>:<line>: <key path>: …`; the others as they are. */
export function blameFile(problems: string[], config: AppConfig, pathOf: SettingPath): string[] {
  return problems.map((problem) => {
    const input = problem.slice(0, problem.indexOf(': '));
    const path = INPUTS.some((spec) => spec.name === input) ? pathOf(input) : undefined;
    const line = path && config.keyLines[path];
    return line ? `${config.file}:${line}: ${path}: ${problem.slice(input.length + 2)}` : problem;
  });
}

function firstLayer(input: string, layers: Array<[string, Record<string, string> | undefined]>): string | undefined {
  const found = layers.find(([, settings]) => settings && Object.hasOwn(settings, input));
  return found && (found[0] ? `${found[0]}.${input}` : input);
}
