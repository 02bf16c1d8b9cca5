// The request of a verb that steers what runs (continue, rollback, status): which services, where. It
// needs no template, image or build settings: one service from the inputs, or the config file's services
// (all, or those named), each with its cluster, service and region as the file and the inputs layer them.
import { existsSync } from 'node:fs';
import { readAppConfig } from '../config/app-config';
import { environmentProblems, serviceSelectionProblems, serviceSettings } from '../config/settings';
import { parseList } from '../image/lines';
import { readInputs, type Inputs, type RawInputs } from '../inputs/parse';
import { INPUTS, type InputSpec } from '../inputs/schema';
import { inputName, withConfigFile } from '../inputs/spelling';
import { readTextFile } from '../inputs/text-file';
import { InputError } from '../shared/errors';
import { DEFAULT_CONFIG } from './read-request';

export interface SteerRequest {
  /** The config file, when the services are its own; undefined for one service from the inputs. */
  file?: string;
  environment?: string;
  services: Array<{ name: string; inputs: Inputs }>;
  shared: Inputs;
}

/** Every problem of the inputs at once, before any AWS call. */
export function readSteerRequest(raw: RawInputs, env: NodeJS.ProcessEnv): SteerRequest {
  const given = (name: string) => (raw(specOf(name)) ?? '').trim();
  const file = given('config') || (existsSync(DEFAULT_CONFIG) ? DEFAULT_CONFIG : '');
  if (!file) {
    const read = readInputs(raw, env);
    if (given('services')) read.problems.push(`services: given, but there is no config file to name them (${inputName('config')}, or ${DEFAULT_CONFIG} in the working directory). Expected a config file, or ${inputName('service')} alone.`);
    if (read.problems.length > 0) throw new InputError(read.problems);
    return { services: [{ name: read.inputs.service, inputs: read.inputs }], shared: read.inputs };
  }
  return withConfigFile(file, () => readSteerFile(file, raw, env));
}

/** The config file's services (all, or those named), each with its inputs as the file and the step layer them. */
function readSteerFile(file: string, raw: RawInputs, env: NodeJS.ProcessEnv): SteerRequest {
  const given = (name: string) => (raw(specOf(name)) ?? '').trim();
  if (!existsSync(file)) throw new InputError([`config: cannot read "${file}" (no such file). Expected the whole-app config file, such as ${DEFAULT_CONFIG}.`]);
  const { config, problems } = readAppConfig(file, readTextFile(file, 'config'));
  const environment = given('environment') || undefined;
  const selected = parseList(given('services'));
  problems.push(...environmentProblems(config, environment ?? ''), ...serviceSelectionProblems(config, selected));
  if (given('service')) problems.push(`service: not used with a config file (${file}), which names the services. Expected ${inputName('services')} to choose among them: ${config.services.map((s) => s.name).join(', ')}.`);
  if (problems.length > 0) throw new InputError(problems);
  const services = config.services
    .filter((s) => selected.length === 0 || selected.includes(s.name))
    .map((service) => {
      const settings = serviceSettings(config, environment, service.name);
      const read = readInputs((spec) => (given(spec.name) ? raw(spec) : settings[spec.name]), env);
      return { name: service.name, read };
    });
  const all = services.flatMap(({ name, read }) => read.problems.map((problem) => `services.${name}: ${problem}`));
  if (all.length > 0) throw new InputError([...new Set(all)]);
  return { file, environment, services: services.map(({ name, read }) => ({ name, inputs: read.inputs })), shared: services[0].read.inputs };
}

function specOf(name: string): InputSpec {
  return INPUTS.find((s) => s.name === name)!;
}
