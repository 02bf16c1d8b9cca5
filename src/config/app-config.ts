// The whole-app config file (ecs-ship.yml): read, checked against the input schema, every problem at once.
import { isAlias, isMap, isScalar, LineCounter, parseDocument, type Node, type Pair, type Scalar, type YAMLMap } from 'yaml';
import { readVarLines } from '../inputs/vars';
import { yamlDuplicateKeys } from '../taskdef/duplicate-keys';
import { plainYamlProblems } from './plain-yaml';
import { InputError } from '../shared/errors';
import { IMAGE_KEYS, MIGRATION_KEYS, NAME, SECTIONS, SERVICE_KEYS, SHARED_KEYS } from './config-keys';
import type { AppConfig, EnvironmentConfig, ImageConfig, MigrationConfig, ServiceConfig } from './config-types';
import { imageOrder } from './image-order';
import { commandText, inputText, keyOf } from './yaml-values';
import { didYouMean } from '../inputs/did-you-mean';
import { yamlProblems } from '../inputs/yaml-problems';

/** `IMAGE_<NAME>` in the templates and build args for an image name (nginx-proxy → IMAGE_NGINX_PROXY). */
export function imagePlaceholder(name: string): string {
  return `IMAGE_${name.replace(/-/g, '_').toUpperCase()}`;
}

/** Parses and checks the file; an InputError lists every problem as "<file>:<line>: <key.path>: <problem>." */
export function parseAppConfig(file: string, text: string): AppConfig {
  const { config, problems } = readAppConfig(file, text);
  if (problems.length > 0) throw new InputError(problems);
  return config;
}

/**
 * parseAppConfig, with the file's problems beside what could be read of it despite them (so that the
 * other checks can run and every problem be reported at once); an InputError only when it is not YAML.
 */
export function readAppConfig(file: string, text: string): { config: AppConfig; problems: string[] } {
  const lines = new LineCounter();
  // Keys are compared as the file's text below: YAML alone would let `true` and "true" both in.
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: false });
  const reader = new ConfigReader(file, lines);
  if (doc.errors.length > 0) throw new InputError(yamlProblems(file, doc.errors));
  for (const { key, path, lines: [first, second] } of yamlDuplicateKeys(text)) {
    reader.problems.push(`${file}:${second}: ${path ? `${path}: ` : ''}key "${key}" appears twice (lines ${first} and ${second}). Expected each key once.`);
  }
  for (const { at, text: problem } of plainYamlProblems(doc)) reader.problems.push(`${file}:${reader.lineOf(at)}: ${problem}.`);
  const config = reader.read(doc.contents);
  return { config, problems: reader.problems };
}

class ConfigReader {
  readonly problems: string[] = [];
  readonly keyLines: Record<string, number> = {};

  constructor(
    private readonly file: string,
    private readonly lines: LineCounter,
  ) {}

  read(root: unknown): AppConfig {
    const config: AppConfig = { file: this.file, shared: {}, images: [], services: [], environments: [], keyLines: this.keyLines };
    const top = this.map(root, '(the file)', 'a map of settings, images, services, migration and environments');
    if (!top) return config;
    const sections: Record<string, Pair> = {};
    const take = Object.fromEntries(SECTIONS.map((key) => [key, (pair: Pair) => (sections[key] = pair)]));
    config.shared = this.settings(top, '', [...SHARED_KEYS, ...SECTIONS], take);
    this.sharedScheduledTasks(top, '', config.shared);
    const imageMaps = new Map<string, YAMLMap>();
    const images = this.named(sections.images, 'images', (name, map, path) => {
      imageMaps.set(name, map);
      return { name, settings: this.settings(map, path, IMAGE_KEYS), uses: [] as string[] };
    });
    config.images = this.ordered(images, sections.images, imageMaps);
    config.services = this.named(sections.services, 'services', (name, map, path) => this.service(name, map, path, images));
    if (sections.migration) config.migration = this.migration(sections.migration, config.services);
    config.environments = this.named(sections.environments, 'environments', (name, map, path) => this.environment(name, map, path, config.services));
    return config;
  }

  private service(name: string, map: YAMLMap, path: string, images: ImageConfig[]): ServiceConfig {
    const settings = this.settings(map, path, SERVICE_KEYS);
    const image = settings.image || undefined;
    if (image && !images.some((i) => i.name === image)) {
      this.problem(this.pairOf(map, 'image'), `${path}.image`, `"${image}" is not an image of the file.${didYouMean(image, images.map((i) => i.name))} Expected one of: ${images.map((i) => i.name).join(', ') || '(no images)'}`);
    }
    delete settings.image;
    if (!image && !settings['task-definition-arn']) {
      this.problem(map.items[0] ?? map, `${path}.image`, `required: the images key of the service's own image (its \${IMAGE}). Expected one of: ${images.map((i) => i.name).join(', ') || '(no images)'}`);
    }
    settings.service ||= name;
    return { name, image, settings };
  }

  private migration(pair: Pair, services: ServiceConfig[]): MigrationConfig | undefined {
    const map = this.map(pair.value, 'migration', 'a map of service, command, container, timeout-minutes, stop-on-cancel', pair);
    if (!map) return undefined;
    let service = '';
    const given: { command?: string | { problem: string } } = {};
    const take = {
      service: (p: Pair) => (service = String(inputText(p.value, 'service'))),
      command: (p: Pair) => (given.command = commandText(p.value)),
    };
    const settings = this.settings(map, 'migration', ['service', ...Object.keys(MIGRATION_KEYS)], take);
    const renamed = Object.fromEntries(Object.entries(settings).map(([key, value]) => [MIGRATION_KEYS[key], value]));
    const command = given.command ?? '';
    if (typeof command === 'object') this.problem(this.pairOf(map, 'command'), 'migration.command', command.problem);
    else if (command) renamed['migration-command'] = command;
    if (!services.some((s) => s.name === service)) {
      this.problem(this.pairOf(map, 'service') ?? pair, 'migration.service', `${service ? `"${service}" is not` : 'required: the name of'} a service of the file.${service ? didYouMean(service, services.map((s) => s.name)) : ''} Expected one of: ${services.map((s) => s.name).join(', ')}`);
    }
    if (command === '') this.problem(this.pairOf(map, 'command') ?? pair, 'migration.command', 'required: the migration command, as a command line or a list of its arguments');
    return { service, settings: renamed };
  }

  private environment(name: string, map: YAMLMap, path: string, services: ServiceConfig[]): EnvironmentConfig {
    let overrides: Pair | undefined;
    const settings = this.settings(map, path, [...SHARED_KEYS, 'services'], { services: (pair) => (overrides = pair) });
    this.sharedScheduledTasks(map, path, settings);
    const byService: EnvironmentConfig['services'] = {};
    for (const entry of this.named(overrides, `${path}.services`, (service, m, p) => ({ service, settings: this.settings(m, p, SERVICE_KEYS.filter((k) => k !== 'image')), m }))) {
      if (!services.some((s) => s.name === entry.service)) {
        this.problem(entry.m, `${path}.services.${entry.service}`, `not a service of the file.${didYouMean(entry.service, services.map((s) => s.name))} Expected one of: ${services.map((s) => s.name).join(', ')}`);
      }
      byService[entry.service] = entry.settings;
    }
    return { name, settings, services: byService };
  }

  /** Where settings are shared, scheduled-tasks is true or false: a rule or schedule runs one service's family. */
  private sharedScheduledTasks(map: YAMLMap, path: string, settings: Record<string, string>): void {
    const value = settings['scheduled-tasks'];
    if (value === undefined || /^(true|false)$/i.test(value)) return;
    const where = path ? `${path}.scheduled-tasks` : 'scheduled-tasks';
    this.problem(this.pairOf(map, 'scheduled-tasks'), where, `names rules or schedules for every service, but each runs one service's family. Expected true or false here, and the names under services.<name>.scheduled-tasks`);
    delete settings['scheduled-tasks'];
  }

  /** Images in dependency order; unknown references and cycles are problems. */
  private ordered(images: ImageConfig[], pair: Pair | undefined, maps: Map<string, YAMLMap>): ImageConfig[] {
    const byPlaceholder = new Map(images.map((i) => [imagePlaceholder(i.name), i.name]));
    for (const image of images) {
      for (const [key, value] of Object.entries(image.settings)) {
        for (const [, placeholder] of value.matchAll(/\$\{(IMAGE_[A-Za-z0-9_]+)\}/g)) {
          const used = byPlaceholder.get(placeholder);
          if (used) {
            if (!image.uses.includes(used)) image.uses.push(used);
          } else {
            this.problem(this.pairOf(maps.get(image.name)!, key) ?? pair, `images.${image.name}.${key}`, `\${${placeholder}} names no image. Expected one of: ${[...byPlaceholder.keys()].map((p) => `\${${p}}`).join(', ')}`);
          }
        }
      }
    }
    const order = imageOrder(images);
    if ('cycle' in order) {
      this.problem(pair, 'images', `a cycle: ${order.cycle.join(' → ')}. Expected each image to use only images built before it`);
      return images;
    }
    return order.images;
  }

  /** A section of named maps (images, services, environments). */
  private named<T>(pair: Pair | undefined, path: string, read: (name: string, map: YAMLMap, path: string) => T): T[] {
    if (!pair) return [];
    const map = this.map(pair.value, path, `a map of names, each a map of settings`, pair);
    if (!map) return [];
    const out: T[] = [];
    for (const entry of map.items) {
      const name = keyOf(entry);
      if (!NAME.test(name)) {
        this.problem(entry, `${path}.${name}`, 'not a name. Expected lowercase letters, digits and dashes, starting with a letter');
        continue;
      }
      const settings = this.map(entry.value, `${path}.${name}`, 'a map of settings', entry);
      if (settings) out.push(read(name, settings, `${path}.${name}`));
    }
    return out;
  }

  /** The map's settings as input text; the keys in `take` (sections) go to their own reader instead. */
  private settings(map: YAMLMap, path: string, allowed: string[], take: Record<string, (pair: Pair) => void> = {}): Record<string, string> {
    const out: Record<string, string> = {};
    for (const pair of map.items) {
      const key = keyOf(pair);
      const where = path ? `${path}.${key}` : key;
      // Refused with a problem of their own (plain-yaml.ts).
      if (key === '<<' || isAlias(pair.value)) continue;
      this.keyLines[where] = this.lineOf(pair);
      if (!allowed.includes(key)) {
        this.problem(pair, where, `unknown key.${didYouMean(key, allowed)} Expected one of: ${allowed.join(', ')}`);
        continue;
      }
      if (take[key]) {
        take[key](pair);
        continue;
      }
      const text = inputText(pair.value, key);
      if (typeof text === 'object') this.problem(pair, where, text.problem);
      else if (key === 'vars' && isScalar(pair.value)) this.varLines(pair, where, pair.value, text, out);
      else out[key] = text;
    }
    return out;
  }

  /** vars written as KEY=VALUE lines are checked here, so that a problem names the file's line. */
  private varLines(pair: Pair, where: string, node: Scalar, text: string, out: Record<string, string>): void {
    const { problems } = readVarLines(text);
    // A literal block keeps its lines as they are in the file, from the line after its `|`.
    const first = node.type === 'BLOCK_LITERAL' ? this.lineOf(node) + 1 : undefined;
    for (const { line, text: problem } of problems) {
      this.problems.push(`${this.file}:${first ? first + line - 1 : this.lineOf(pair)}: ${where}: line ${line} of its value${problem}`);
    }
    out.vars = text;
  }

  private map(node: unknown, path: string, expected: string, at?: Pair): YAMLMap | undefined {
    if (isMap(node)) return node;
    if (isAlias(node)) return undefined;
    if (node === null || node === undefined) {
      if (path === '(the file)') this.problems.push(`${this.file}:1: the file is empty. Expected ${expected}.`);
      else this.problem(at, path, `empty. Expected ${expected}`);
      return undefined;
    }
    this.problem(at ?? (node as Node), path, `expected ${expected}`);
    return undefined;
  }

  private pairOf(map: YAMLMap, key: string): Pair | undefined {
    return map.items.find((pair) => keyOf(pair) === key);
  }

  private problem(at: Pair | Node | undefined, path: string, text: string): void {
    this.problems.push(`${this.file}:${this.lineOf(at)}: ${path}: ${text}.`);
  }

  lineOf(at: Pair | Node | undefined): number {
    const node = (at && 'key' in at ? at.key : at) as Node | undefined;
    const offset = node?.range?.[0];
    return offset === undefined ? 1 : this.lines.linePos(offset).line;
  }
}
