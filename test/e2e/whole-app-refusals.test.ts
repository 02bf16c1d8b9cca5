// A whole-app run that could only deploy something other than what it was asked for is refused, exit 2,
// before any AWS call: two services of the file naming one ECS service, a redeploy beside inputs it would
// ignore, a services input that names no service.
import { appConfig, givenApp, type AppWorld } from '../support/app-world';
import { runAction, runCli, type RunResult } from '../support/harness';
import { deploy, failureMessage } from '../support/scenarios';
import { givenService, type World } from '../support/world';

let world: AppWorld | World | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

function expectNoAwsCall(run: RunResult): void {
  expect(run.code).toBe(2);
  expect(world!.sim.calls.filter((c) => c.service !== 'sts')).toEqual([]);
}

describe('refused before any AWS call', () => {
  test('given two services of the file that name one ECS service (by name and by ARN), the deploy is an input error naming both', async () => {
    const app = (world = await givenApp());
    const config = appConfig();
    (config.services as Record<string, Record<string, string>>).queue.service = 'arn:aws:ecs:us-east-1:123456789012:service/prod/worker';
    app.writeConfig(config);
    const run = await runAction({}, { endpoint: app.sim.url, cwd: app.dir });

    expectNoAwsCall(run);
    expect(failureMessage(run)).toContain('services: worker and queue name one ECS service, "worker". Expected each service of the file to deploy its own ECS service.');
  }, 30_000);

  test.each([
    ['--image', 'web:v2'],
    ['--task-definition', 'web.json'],
    ['--vars', 'DB_HOST=db.other'],
    ['--migration-command', 'migrate'],
    ['--task-definition-arn', 'web:1'],
  ])('given redeploy of the app with %s, which it would ignore, the run is an input error naming it', async (flag, value) => {
    const app = (world = await givenApp());
    app.writeConfig(appConfig());
    const run = await runCli(['redeploy', 'web', flag, value], { endpoint: app.sim.url, cwd: app.dir });

    expectNoAwsCall(run);
    expect(run.stderr).toContain(`--redeploy: restarts each service on the revision it runs, so ${flag} would be ignored.`);
  }, 30_000);

  test('given redeploy of one service with an image, the run is an input error, and the service is not restarted on its old image', async () => {
    const service = (world = await givenService());
    const run = await deploy(service, { redeploy: 'true', vars: '' });

    expect(run.code).toBe(2);
    expect(failureMessage(run)).toContain('redeploy: restarts each service on the revision it runs, so image would be ignored.');
    expect(failureMessage(run)).toContain('so task-definition would be ignored.');
    expect(service.sim.mutatingCalls()).toEqual([]);
  }, 30_000);

  test.each([',', '#web', ' , '])('given a services input of "%s", which names no service, the deploy is an input error instead of deploying every service', async (services) => {
    const app = (world = await givenApp());
    app.writeConfig(appConfig());
    const run = await runAction({ services }, { endpoint: app.sim.url, cwd: app.dir });

    expectNoAwsCall(run);
    expect(failureMessage(run)).toContain("services: names no service (empty items and # comments are left out). Expected names of ecs-ship.yml's services: web, worker, queue");
  }, 30_000);
});
