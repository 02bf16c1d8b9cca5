// A whole app's inputs: the config file, layered under what the Action, the pipe or the CLI gave.
import { existsSync } from 'node:fs';
import { imagePlaceholder, readAppConfig } from '../config/app-config';
import type { AppConfig } from '../config/config-types';
import { IMAGE_KEYS, MIGRATION_KEYS, PER_IMAGE_KEYS } from '../config/config-keys';
import { environmentProblems, givenVarsOverFile, imageSettings, serviceSelectionProblems, serviceSettings } from '../config/settings';
import { InputError } from '../shared/errors';
import { allInputProblems } from './check-inputs';
import { givenIn, redeployProblems } from './known-revision-inputs';
import { imageRequest } from './image-request';
import type { ImageRequest } from './image-request';
import { parseList } from '../image/lines';
import { readInputs, type Inputs, type RawInputs } from '../inputs/parse';
import { INPUTS, type InputSpec } from '../inputs/schema';
import { withReleaseTag } from './release-tag';
import { inputName, withConfigFile } from '../inputs/spelling';
import { readTextFile } from '../inputs/text-file';
import { blameFile, imagePath, servicePath, type SettingPath } from './blame-file';
import { templateProblems, withoutFileEchoes } from './offline-checks';
import { runChoiceProblems } from './run-choices';
import { runSecretVars } from './run-secret-vars';

export const DEFAULT_CONFIG = 'ecs-ship.yml';

export interface AppImage {
  name: string;
  /** `IMAGE_<NAME>` in the templates. */
  placeholder: string;
  request: ImageRequest;
  /** The images whose references its build settings use: built before it. */
  uses: string[];
}

export interface AppService {
  name: string;
  inputs: Inputs;
  /** The images key of its own image (its `${IMAGE}`). */
  image?: string;
}

export interface App {
  /** The config file; undefined for one service deployed from the inputs alone (an app of one). */
  file?: string;
  environment?: string;
  images: AppImage[];
  /** The services to deploy, in the file's order. */
  services: AppService[];
  /** The service whose revision and network the migration runs with, when it is among those deployed. */
  migration?: string;
  /** The migration's service when it is not among those deployed (then no migration runs). */
  migrationLeftOut?: string;
  /** The inputs every service shares (the first service's). */
  shared: Inputs;
}

const MIGRATION_INPUTS = Object.values(MIGRATION_KEYS);

/** What the run deploys: the config file's app, or else the one service the inputs name, as an app of one. */
export async function readRequest(raw: RawInputs, env: NodeJS.ProcessEnv): Promise<App> {
  const app = readApp(raw, env);
  if (app) return withReleaseTags(app, env);
  const read = readInputs(raw, env);
  if (read.inputs.redeploy) read.problems.push(...redeployProblems(givenIn(read.inputs)));
  if (!read.inputs.taskDefinitionArn && !read.inputs.redeploy && !read.broken.has('image')) {
    const tagged = await withReleaseTag(read.inputs, env);
    read.inputs.image = tagged.image;
    if (tagged.problem) read.problems.push(tagged.problem);
  }
  if (read.problems.length > 0) throw new InputError(await allInputProblems(read, env));
  const { inputs } = read;
  return { images: [], services: [{ name: inputs.service, inputs }], migration: inputs.service, shared: inputs };
}

/** The config file's images deployed without a build take the release tag (or the commit's) where they have none. */
async function withReleaseTags(app: App, env: NodeJS.ProcessEnv): Promise<App> {
  const problems: string[] = [];
  for (const image of app.images) {
    const { request } = image;
    const tagged = await withReleaseTag({ image: request.image, build: request.build, tag: request.releaseTag ?? '', context: request.context }, env);
    if (tagged.problem) problems.push(`images.${image.name}: ${tagged.problem}`);
    // A service's own image (its `${IMAGE}`) is the image's reference: it takes the tag too.
    for (const service of app.services) if (service.image === image.name && service.inputs.image === request.image) service.inputs.image = tagged.image;
    request.image = tagged.image;
  }
  if (problems.length > 0) throw new InputError(problems);
  return app;
}

/** The app of the config file; undefined when there is none (then one service is deployed from the inputs). */
export function readApp(raw: RawInputs, env: NodeJS.ProcessEnv): App | undefined {
  const given = (name: string) => (raw(specOf(name)) ?? '').trim();
  const file = given('config') || (existsSync(DEFAULT_CONFIG) ? DEFAULT_CONFIG : '');
  if (!file) {
    if (given('services')) throw new InputError([`services: "${parseList(given('services')).join(', ')}" given, but there is no config file to name them (${inputName('config')}, or ${DEFAULT_CONFIG} in the working directory). Expected a config file, or ${inputName('service')} alone.`]);
    return undefined;
  }
  return withConfigFile(file, () => readAppFile(file, raw, env));
}

function readAppFile(file: string, raw: RawInputs, env: NodeJS.ProcessEnv): App {
  const given = (name: string) => (raw(specOf(name)) ?? '').trim();
  const { config, problems: fileProblems } = readAppConfig(file, readConfig(file));
  const environment = given('environment') || undefined;
  const selected = parseList(given('services'));
  const problems = [
    ...fileProblems,
    ...environmentProblems(config, environment ?? ''),
    ...serviceSelectionProblems(config, selected),
    ...runChoiceProblems(config, selected, given),
    ...givenBesideConfig(config, given),
  ];
  if (given('services') && selected.length === 0) {
    problems.push(`${inputName('services')}: names no service (empty items and # comments are left out). Expected names of ${file}'s services: ${config.services.map((s) => s.name).join(', ')}; or leave it out to deploy all of them.`);
  }
  if (given('migration-command') && !config.migration) {
    problems.push(`migration-command: ${file} has no migration section naming the service whose task definition and network the migration runs with.`);
  }
  // The file's own problems are reported with those of the services' settings and templates, below.
  if (problems.length > fileProblems.length) throw new InputError(problems);

  const chosen = config.services.filter((s) => selected.length === 0 || selected.includes(s.name));
  const migration = config.migration && chosen.some((s) => s.name === config.migration!.service) ? config.migration.service : undefined;
  const services = chosen.map((service) => {
    const settings = serviceSettings(config, environment, service.name);
    const layered: RawInputs = (spec) => {
      // The migration runs once, with its own service.
      if (MIGRATION_INPUTS.includes(spec.name) && service.name !== migration) return '';
      if (spec.name === 'vars' && given('vars')) return givenVarsOverFile(raw(spec)!, settings.vars);
      return given(spec.name) ? raw(spec) : settings[spec.name];
    };
    return { name: service.name, image: service.image, read: readInputs(layered, env) };
  });
  const secretNames = runSecretVars(config, environment, given('secret-vars'));
  for (const { read } of services) read.inputs.runSecretVars = secretNames;
  const images = config.images.map((image) => readImage(config, environment, image.name, given, raw, env));
  const fromFile = (pathOf: SettingPath): SettingPath => (input) => (given(input) ? undefined : pathOf(input));
  const serviceProblems = services.map((s) => ({
    where: `services.${s.name}`,
    problems: withoutFileEchoes(blameFile(s.read.problems, config, fromFile(servicePath(config, environment, s.name))), fileProblems, file, s.name),
  }));
  const all = [...fileProblems, ...gather(serviceProblems, file), ...images.flatMap((i) => i.problems)];
  all.push(...sharedServiceProblems(services.map((s) => ({ name: s.name, service: s.read.inputs.service }))));
  const regions = new Set(services.map((s) => s.read.inputs.awsRegion).filter(Boolean));
  if (regions.size > 1) all.push(`aws-region: the services of one run are in one region; ${file} gives ${[...regions].join(', ')}.`);
  if (all.length > 0) throw new InputError([...new Set([...all, ...templatesOf(services, images, env, file)])]);
  return {
    file,
    environment,
    images: images.map(({ image }) => image),
    services: services.map(({ name, image, read }) => ({ name, image, inputs: read.inputs })),
    migration,
    migrationLeftOut: config.migration && !migration ? config.migration.service : undefined,
    shared: services[0].read.inputs,
  };
}

/**
 * Inputs a front end cannot give beside a config file: those that name one service or one image (the file
 * names several), and those a redeploy would ignore.
 */
function givenBesideConfig(config: AppConfig, text: (name: string) => string): string[] {
  const given = (name: string) => text(name) !== '';
  const problems: string[] = [];
  if (given('service')) {
    problems.push(`service: not used with a config file (${config.file}), which names the services. Expected ${inputName('services')} to choose among them: ${config.services.map((s) => s.name).join(', ')}.`);
  }
  for (const name of PER_IMAGE_KEYS.filter(given)) {
    problems.push(
      `${inputName(name)}: not used with a config file (${config.file}), whose images (${config.images.map((i) => i.name).join(', ') || 'none'}) each have their own. Expected it in the file, as images.<name>.${name}.`,
    );
  }
  if (/^true$/i.test(text('redeploy'))) problems.push(...redeployProblems(given));
  return problems;
}

/** Two services of the file that name one ECS service would deploy it twice in one run, each undoing the other. */
function sharedServiceProblems(services: Array<{ name: string; service: string }>): string[] {
  const byService = new Map<string, string[]>();
  for (const { name, service } of services) {
    const key = service.split('/').pop()!;
    byService.set(key, [...(byService.get(key) ?? []), name]);
  }
  return [...byService]
    .filter(([, names]) => names.length > 1)
    .map(([service, names]) => `services: ${names.join(' and ')} name one ECS service, "${service}". Expected each service of the file to deploy its own ECS service.`);
}

function readConfig(file: string): string {
  try {
    return readTextFile(file, 'config');
  } catch (error) {
    if (!(error instanceof InputError) || existsSync(file)) throw error;
    throw new InputError([`config: cannot read "${file}" (no such file). Expected the whole-app config file, such as ${DEFAULT_CONFIG}.`]);
  }
}

/** An image's build request; its problems are those of its own settings. */
function readImage(config: AppConfig, environment: string | undefined, name: string, given: (name: string) => string, raw: RawInputs, env: NodeJS.ProcessEnv) {
  const settings = imageSettings(config, environment, name);
  const layered: RawInputs = (spec) => {
    if (!IMAGE_KEYS.includes(spec.name)) return settings[spec.name] ?? (spec.name === 'service' ? name : undefined);
    return given(spec.name) ? raw(spec) : settings[spec.name];
  };
  const read = readInputs(layered, env);
  const { request, problems } = imageRequest(read.inputs);
  const own = [...read.problems.filter((p) => IMAGE_KEYS.includes(p.split(':')[0])), ...problems];
  const uses = config.images.find((i) => i.name === name)!.uses;
  const blamed = blameFile(own, config, (input) => (given(input) ? undefined : imagePath(config, environment, name)(input)));
  return { image: { name, placeholder: imagePlaceholder(name), request, uses }, problems: blamed.map((p) => (p.startsWith(`${config.file}:`) ? p : `images.${name}: ${p}`)) };
}

/** The services' template problems, for a report that stops the run anyway. */
function templatesOf(services: Array<{ name: string; read: { inputs: Inputs } }>, images: Array<{ image: AppImage }>, env: NodeJS.ProcessEnv, file: string): string[] {
  const placeholders = Object.fromEntries(images.map(({ image }) => [image.placeholder, image.request.image]));
  return gather(services.map((s) => ({ where: `services.${s.name}`, problems: templateProblems(s.read.inputs, env, placeholders) })), file);
}

/** A problem every service has is said once; one of some services names them, unless it names its place in the file. */
function gather(lists: Array<{ where: string; problems: string[] }>, file: string): string[] {
  const out: string[] = [];
  for (const { where, problems } of lists) {
    for (const problem of problems) out.push(lists.every((l) => l.problems.includes(problem)) || problem.startsWith(`${file}:`) ? problem : `${where}: ${problem}`);
  }
  return out;
}

function specOf(name: string): InputSpec {
  return INPUTS.find((s) => s.name === name)!;
}
