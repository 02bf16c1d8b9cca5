// A whole app's rollback is reported as ECS has it: never "rolled back" for a service that is not.
import { appConfig, givenApp, type AppWorld } from '../support/app-world';
import { runAction } from '../support/harness';
import { failureMessage } from '../support/scenarios';

let world: AppWorld;
afterEach(async () => world?.close());

describe('a whole app rolled back', () => {
  test('given web\'s deployment alarm (ECS rollback on) firing during its bake, web is reported where ECS keeps it, and the others are rolled back', async () => {
    world = await givenApp({ deploymentConfiguration: { alarms: { alarmNames: ['web-5xx'], enable: true, rollback: true } } });
    world.sim.addAlarm('web-5xx');
    const config = appConfig({ migration: undefined });
    (config.services as Record<string, Record<string, unknown>>).web['bake-minutes'] = 0.1;
    world.writeConfig(config);
    let fired = false;
    const run = await runAction({}, {
      endpoint: world.sim.url,
      cwd: world.dir,
      onSpawn: (_pid, output) => {
        const timer = setInterval(() => {
          if (!fired && /\[web\] Baking deployment/.test(output())) {
            fired = true;
            world.sim.setAlarm('web-5xx', 'ALARM');
          }
        }, 20);
        setTimeout(() => clearInterval(timer), 30_000).unref();
      },
    });

    expect(run.code).toBe(1);
    expect(world.taskDefinitionOf('web')).toMatch(/web:2$/);
    expect(world.taskDefinitionOf('worker')).toBe(world.initial.worker);
    const message = failureMessage(run);
    expect(message).not.toMatch(/- web: rolled back/);
    expect(message).toMatch(/- web: failed: .*ECS rolled that deployment back \(started by the alarm web-5xx\): the service runs \S*web:2 now/);
    expect(message).toMatch(/- worker: rolled back/);
    const services = JSON.parse(run.outputs.services);
    expect(services.web.outcome).toBe('failed');
    expect(run.summary).toMatch(/\| web \(web in prod\) \| failed \|.*did not hold: the service runs web:2/);
    // The account reads back from ECS where each service is as the run ends.
    expect(run.log).toMatch(/Service web: failed\n(  .*\n)*  Runs now: web:2 \(read from ECS as the run ended\)/);
    expect(run.log).toMatch(/Service worker: rolled back\n(  .*\n)*  Runs now: worker:1 \(read from ECS as the run ended\)/);
  }, 60_000);
});
