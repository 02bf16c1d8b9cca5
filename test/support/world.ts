import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startSimulator, type ServiceSeed, type Simulator, type SimulatorOptions } from '../../simulator';
import { tempDir } from './harness';
import { webTemplate } from './templates';

export { webTemplate } from './templates';

export const CLUSTER = 'prod';
export const SERVICE = 'web';
export const NETWORK = {
  awsvpcConfiguration: { subnets: ['subnet-0a1b2c'], securityGroups: ['sg-0d4e5f'], assignPublicIp: 'DISABLED' },
};

export interface World {
  sim: Simulator;
  /** The revision the service runs before the deploy. */
  initialArn: string;
  dir: string;
  close(): Promise<void>;
  serviceTaskDefinition(): string;
  writeTemplate(definition: object, name?: string): string;
}

export interface WorldOptions extends SimulatorOptions {
  circuitBreaker?: { enable: boolean; rollback: boolean };
  rolloutState?: boolean;
  desiredCount?: number;
  sidecar?: boolean;
  deploymentController?: ServiceSeed['deploymentController'];
}

/** Given a Fargate service "web" in cluster "prod", steady on revision 1 of family "web". */
export async function givenService(options: WorldOptions = {}): Promise<World> {
  const fast = { provisioningMs: 40, pendingMs: 40, deprovisioningMs: 40, stabilizeMs: 150, defaultTaskRunMs: 150, tickMs: 20 };
  const sim = await startSimulator({ ...options, timing: { ...fast, ...options.timing } });
  sim.addCluster(CLUSTER);
  const initial = webTemplate({ sidecar: options.sidecar });
  initial.containerDefinitions[0].image = '123456789012.dkr.ecr.us-east-1.amazonaws.com/web:v1';
  initial.containerDefinitions[0].environment = [{ name: 'DB_HOST', value: 'db.internal' }];
  const initialArn = sim.addTaskDefinition(initial);
  sim.addService({
    cluster: CLUSTER,
    name: SERVICE,
    taskDefinition: initialArn,
    desiredCount: options.desiredCount ?? 2,
    launchType: 'FARGATE',
    platformVersion: 'LATEST',
    networkConfiguration: NETWORK,
    circuitBreaker: options.circuitBreaker ?? { enable: true, rollback: true },
    rolloutState: options.rolloutState,
    deploymentController: options.deploymentController,
  });
  const dir = tempDir();
  let closed: Promise<void> | undefined;
  return {
    sim,
    initialArn,
    dir,
    close: () => (closed ??= sim.close()),
    serviceTaskDefinition: () => sim.service(CLUSTER, SERVICE).taskDefinition,
    writeTemplate(definition, name = 'task-definition.json') {
      const path = join(dir, name);
      writeFileSync(path, typeof definition === 'string' ? definition : JSON.stringify(definition, null, 2));
      return path;
    },
  };
}
