// `npm run demo -- --broken`, as a newcomer runs it: the demo's crashing image, under the demo's own
// (realistic) timing, fails the deploy and the service ends back on the revision it ran.
import { NODE24, ROOT, spawnCollect } from '../support/harness';

test('the demo with --broken fails, says why, rolls back, and says it was simulated', async () => {
  const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp' };
  const run = await spawnCollect(NODE24, ['scripts/demo.mjs', '--broken'], { env, cwd: ROOT, timeoutMs: 60_000 });

  expect(run.code).toBe(1);
  expect(run.log).toContain('demo-app:broken');
  expect(run.log).toMatch(/container web: exit code 1/);
  // The tasks start, then crash: ECS's circuit breaker does not count them (Deployment.failedTasks;
  // aws/containers-roadmap issue 1206); ecs-ship's max-task-failures (3) does, and asks ECS to roll back.
  expect(run.log).toMatch(/✖ Rollout failed: \d+ tasks of deployment ecs-svc\/\d+ failed \(limit 3\)\. ecs-ship stopped it with a rollback, and ECS rolled the service back to arn:aws:ecs:us-east-1:123456789012:task-definition\/demo-web:1 \(service revision \S+\): the rollback completed and the service is stable/);
  expect(run.log).toMatch(/EssentialContainerExited, "Essential container in task exited"/);
  expect(run.log).not.toMatch(/circuit breaker triggered/);
  expect(run.log).not.toContain('✔ Deployed');
  expect(run.log).toContain('This ran against the simulator');
  expect(run.log).toContain('As expected, the broken image failed the deploy');
});
