// `npm run demo -- --broken`, as a newcomer runs it: the demo's crashing image, under the demo's own
// (realistic) timing, fails the deploy and the service ends back on the revision it ran.
import { NODE24, ROOT, spawnCollect } from '../support/harness';

test('the demo with --broken fails, says why, rolls back, and says it was simulated', async () => {
  const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp' };
  const run = await spawnCollect(NODE24, ['scripts/demo.mjs', '--broken'], { env, cwd: ROOT, timeoutMs: 60_000 });

  expect(run.code).toBe(1);
  expect(run.log).toContain('demo-app:broken');
  expect(run.log).toMatch(/container web: exit code 1/);
  expect(run.log).toMatch(/✖ Rollout failed: ECS's record of deployment ecs-svc\/\d+ says ROLLBACK_\w+: ECS deployment circuit breaker: tasks failed to start; circuit breaker triggered/);
  expect(run.log).toMatch(/ECS, started by the circuit breaker, rolled the service back to arn:aws:ecs:us-east-1:123456789012:task-definition\/demo-web:1 \(service revision \S+\): the rollback completed and the service is stable/);
  expect(run.log).not.toContain('✔ Deployed');
  expect(run.log).toContain('This ran against the simulator');
  expect(run.log).toContain('As expected, the broken image failed the deploy');
});
