// A whole app in the simulator: services web, worker and queue of cluster prod, each steady on revision 1 of
// its own family, and the config file that deploys them (ecs-ship.yml in the world's directory).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { IMAGE } from './scenarios';
import { CLUSTER, givenService, INITIAL_IMAGE, NETWORK, webTemplate, type World, type WorldOptions } from './world';

export const APP_SERVICES = ['web', 'worker', 'queue'] as const;

export interface AppWorld extends World {
  /** The revision each service runs before the deploy. */
  initial: Record<string, string>;
  taskDefinitionOf(service: string): string;
  /** Writes ecs-ship.yml (or `name`) into the world's directory; returns its path. */
  writeConfig(config: object | string, name?: string): string;
}

/** A service's template: the web template under the service's own family and container name. */
export function serviceTemplate(service: string): Record<string, any> {
  const template = webTemplate();
  template.family = service;
  template.containerDefinitions[0].name = service;
  return template;
}

/** The config most scenarios deploy: the three services from one image (pinned, no build) and one migration with web. */
export function appConfig(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    cluster: CLUSTER,
    vars: { DB_HOST: 'db.prod.internal' },
    images: { app: { image: IMAGE, build: false } },
    services: Object.fromEntries(APP_SERVICES.map((name) => [name, { 'task-definition': `${name}.json`, image: 'app' }])),
    migration: { service: 'web', command: 'migrate' },
    ...extra,
  };
}

export interface AppWorldOptions extends WorldOptions {
  /** Every service's deployment configuration (web's included, over `deploymentConfiguration`): blue/green services that pause, say. */
  everyService?: { deploymentConfiguration: Record<string, unknown> };
}

export async function givenApp(options: AppWorldOptions = {}): Promise<AppWorld> {
  const world = await givenService({ ...options, deploymentConfiguration: options.everyService?.deploymentConfiguration ?? options.deploymentConfiguration });
  const initial: Record<string, string> = { web: world.initialArn };
  for (const name of APP_SERVICES.slice(1)) {
    const definition = serviceTemplate(name);
    definition.containerDefinitions[0].image = INITIAL_IMAGE;
    definition.containerDefinitions[0].environment = [{ name: 'DB_HOST', value: 'db.internal' }];
    initial[name] = world.sim.addTaskDefinition(definition);
    world.sim.addService({
      cluster: CLUSTER,
      name,
      taskDefinition: initial[name],
      desiredCount: 1,
      launchType: 'FARGATE',
      platformVersion: 'LATEST',
      networkConfiguration: NETWORK,
      circuitBreaker: { enable: true, rollback: true },
      deploymentConfiguration: options.everyService?.deploymentConfiguration,
    });
  }
  for (const name of APP_SERVICES) world.writeTemplate(serviceTemplate(name), `${name}.json`);
  return {
    ...world,
    initial,
    taskDefinitionOf: (service) => world.sim.service(CLUSTER, service).taskDefinition,
    writeConfig(config, name = 'ecs-ship.yml') {
      const path = join(world.dir, name);
      writeFileSync(path, typeof config === 'string' ? config : stringify(config));
      return path;
    },
  };
}
