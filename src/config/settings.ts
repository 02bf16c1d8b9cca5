// One service's (or image's) settings in one environment: the file's layers, the most specific on top.
import { inputName } from '../inputs/spelling';
import type { AppConfig } from './config-types';
import { didYouMean } from '../inputs/did-you-mean';

type Settings = Record<string, string>;

/**
 * Lowest first: the top level, the environment, the service's image, the service, the environment's
 * override of the service, and the migration for its own service. vars merge by name; the rest replace.
 */
export function serviceSettings(config: AppConfig, environment: string | undefined, name: string): Settings {
  const env = config.environments.find((e) => e.name === environment);
  const service = config.services.find((s) => s.name === name)!;
  const image = config.images.find((i) => i.name === service.image);
  const migration = config.migration?.service === name ? config.migration.settings : {};
  return layered([config.shared, env?.settings ?? {}, image?.settings ?? {}, service.settings, env?.services[name] ?? {}, migration]);
}

/** An image's build settings over the environment's and the top level's. */
export function imageSettings(config: AppConfig, environment: string | undefined, name: string): Settings {
  const env = config.environments.find((e) => e.name === environment);
  return layered([config.shared, env?.settings ?? {}, config.images.find((i) => i.name === name)!.settings]);
}

export function environmentProblems(config: AppConfig, environment: string): string[] {
  const names = config.environments.map((e) => e.name);
  if (names.length === 0) {
    return environment ? [`${inputName('environment')}: "${environment}" given, but ${config.file} has no environments.`] : [];
  }
  if (!environment) return [`${inputName('environment')}: required, as ${config.file} has environments. Expected one of: ${names.join(', ')}.`];
  return names.includes(environment) ? [] : [`${inputName('environment')}: "${environment}" is not an environment of ${config.file}.${didYouMean(environment, names)} Expected one of: ${names.join(', ')}.`];
}

export function serviceSelectionProblems(config: AppConfig, selected: string[]): string[] {
  const names = config.services.map((s) => s.name);
  if (names.length === 0) return [`${config.file}: names no services. Expected a services section with at least one service.`];
  return selected
    .filter((name) => !names.includes(name))
    .map((name) => `${inputName('services')}: "${name}" is not a service of ${config.file}.${didYouMean(name, names)} Expected one of: ${names.join(', ')}.`);
}

function layered(layers: Settings[]): Settings {
  const out: Settings = {};
  for (const layer of layers) {
    for (const [key, value] of Object.entries(layer)) out[key] = key === 'vars' && out.vars ? mergeVars(out.vars, value) : value;
  }
  return out;
}

/** KEY=VALUE lines, those of `over` replacing those of `base` with the same key. */
function mergeVars(base: string, over: string): string {
  const byKey = new Map<string, string>();
  for (const line of [...base.split('\n'), ...over.split('\n')]) {
    if (line.trim()) byKey.set(varKey(line), line);
  }
  return [...byKey.values()].join('\n');
}

/**
 * The vars given to the step over the file's, by name. The given lines come first, as written, so that a
 * problem's line number is the line the person wrote; the file's follow, but for the names given.
 */
export function givenVarsOverFile(given: string, fromFile: string | undefined): string {
  const names = new Set(given.split(/\r?\n|\r/).filter((line) => line.trim()).map(varKey));
  const kept = (fromFile ?? '').split('\n').filter((line) => line.trim() && !names.has(varKey(line)));
  return [given, ...kept].join('\n');
}

function varKey(line: string): string {
  return line.trim().replace(/^export\s+/, '').split('=')[0].trim();
}
