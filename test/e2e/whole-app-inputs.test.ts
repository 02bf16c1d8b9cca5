// The whole app's inputs kept whole and never leaked: what the config file and the front end give reaches
// each service as written, every mistake is named where it was made, and no problem quotes a value.
import { appConfig, givenApp, serviceTemplate, type AppWorld } from '../support/app-world';
import { runAction, type RunOptions, type RunResult } from '../support/harness';
import { failureMessage } from '../support/scenarios';

let world: AppWorld;
afterEach(async () => world?.close());

function deployApp(inputs: Record<string, string> = {}, options: Partial<RunOptions> = {}): Promise<RunResult> {
  return runAction(inputs, { endpoint: world.sim.url, cwd: world.dir, ...options });
}

/** The service's template, with an environment variable for each `${NAME}` given. */
function templateWith(service: string, names: string[]): void {
  const template = serviceTemplate(service);
  template.containerDefinitions[0].environment.push(...names.map((name) => ({ name, value: `\${${name}}` })));
  world.writeTemplate(template, `${service}.json`);
}

/** The environment of the newest revision of the family, by name. */
function registeredEnvironment(family: string): Record<string, string> {
  const environment: Array<{ name: string; value: string }> = world.sim.taskDefinitions(family).at(-1).containerDefinitions[0].environment;
  return Object.fromEntries(environment.map((e) => [e.name, e.value]));
}

const noChange = () => expect(world.sim.mutatingCalls()).toEqual([]);

describe('the config file\'s vars', () => {
  test('given a vars map with a value of several lines, the deploy registers that value whole: its lines are not vars of their own', async () => {
    world = await givenApp();
    templateWith('worker', ['NOTE']);
    world.writeConfig(appConfig({ vars: { DB_HOST: 'db.prod.internal', NOTE: 'deployed by ci\nDB_HOST=evil.example.com\n' } }));
    const run = await deployApp({ services: 'worker' });

    expect(run.code).toBe(0);
    expect(registeredEnvironment('worker')).toEqual({ DB_HOST: 'db.prod.internal', NOTE: 'deployed by ci\nDB_HOST=evil.example.com\n' });
  }, 60_000);
});
