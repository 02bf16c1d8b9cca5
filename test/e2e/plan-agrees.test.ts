// The dry run's plan is what the run does: over generated scenarios (a changed or unchanged definition, a
// migration or none, a re-run of what is deployed, a known revision, a redeploy, pruning of revisions and of
// ECR images (keep-images: BatchDeleteImage), one service or a subset of an app), the changes a dry run lists (the planned-changes output) are exactly the mutating
// calls a real run of the same inputs then makes.
import fc from 'fast-check';
import { appConfig, givenApp, type AppWorld } from '../support/app-world';
import { runAction, type RunResult } from '../support/harness';
import { deploy, IMAGE } from '../support/scenarios';
import { givenService, INITIAL_IMAGE, REGISTRY, webTemplate, type World } from '../support/world';

const ORDER = ['RegisterTaskDefinition', 'RunTask', 'UpdateService', 'PutTargets', 'UpdateSchedule', 'DeregisterTaskDefinition', 'BatchDeleteImage'];
const byAction = (a: string, b: string) => ORDER.indexOf(a) - ORDER.indexOf(b);

function planned(run: RunResult): string[] {
  expect(run.code).toBe(0);
  return (JSON.parse(run.outputs['planned-changes']) as Array<{ action: string }>).map((change) => change.action);
}

/** The dry run, then the real run; what the real run changed, against what the dry run listed. */
async function dryThenReal(world: World, act: (dryRun: boolean) => Promise<RunResult>): Promise<{ listed: string[]; made: string[] }> {
  const before = world.sim.mutatingCalls().length;
  const listed = planned(await act(true));
  expect(world.sim.mutatingCalls().length).toBe(before);
  const real = await act(false);
  expect(real.code).toBe(0);
  return { listed, made: world.sim.mutatingCalls().slice(before) };
}

const single = fc.record({
  mode: fc.constantFrom('template', 'known-running', 'known-other', 'redeploy'),
  changed: fc.boolean(),
  migration: fc.boolean(),
  force: fc.boolean(),
  keep: fc.constantFrom(0, 1, 2),
  keepImages: fc.constantFrom(0, 1, 3),
});

describe('the dry run lists exactly what the real run changes', () => {
  test('one service: template or known revision or redeploy, changed or not, migration or not, forced or not, pruning or not', async () => {
    await fc.assert(
      fc.asyncProperty(single, async ({ mode, changed, migration, force, keep, keepImages }) => {
        const world = await givenService({ desiredCount: 1 });
        try {
          // Older images of web that nothing uses, for keep-images to find.
          for (let day = 1; day <= 3; day++) world.sim.addImage('web', `old-${day}`, `sha256:${'e'.repeat(63)}${day}`, Date.now() - day * 86_400_000);
          // Revisions nobody runs, for keep-revisions to find; web:3 is the "other" known revision.
          for (const tag of ['v2', 'v1-hotfix']) {
            const old = webTemplate();
            old.containerDefinitions[0].image = `${REGISTRY}/web:${tag}`;
            old.containerDefinitions[0].environment = [{ name: 'DB_HOST', value: 'db.internal' }];
            world.sim.addTaskDefinition(old);
          }
          const inputs: Record<string, string> =
            mode === 'template'
              ? { image: changed ? IMAGE : INITIAL_IMAGE, vars: `DB_HOST=${changed ? 'db.prod.internal' : 'db.internal'}` }
              : mode === 'redeploy'
                ? { redeploy: 'true', image: '', build: '', 'task-definition': '', vars: '' }
                : { 'task-definition-arn': mode === 'known-running' ? 'web:1' : 'web:3', image: '', build: '', 'task-definition': '', vars: '' };
          if (migration && mode !== 'redeploy') inputs['migration-command'] = 'bin/migrate';
          if (force && mode !== 'redeploy') inputs['force-new-deployment'] = 'true';
          if (keep > 0) inputs['keep-revisions'] = String(keep);
          if (keepImages > 0) inputs['keep-images'] = String(keepImages);
          const { listed, made } = await dryThenReal(world, (dryRun) => deploy(world, { ...inputs, 'dry-run': String(dryRun) }));
          expect(made).toEqual(listed);
        } finally {
          await world.close();
        }
      }),
      {
        numRuns: 12,
        seed: 20261206,
        // The cases where a plan and a run most easily part: a re-run with a migration, forced or not, a known revision, pruning.
        examples: [
          [{ mode: 'template', changed: false, migration: true, force: false, keep: 0, keepImages: 0 }],
          [{ mode: 'template', changed: false, migration: true, force: true, keep: 0, keepImages: 0 }],
          [{ mode: 'known-running', changed: false, migration: true, force: false, keep: 0, keepImages: 1 }],
          [{ mode: 'known-other', changed: false, migration: true, force: false, keep: 1, keepImages: 0 }],
          [{ mode: 'redeploy', changed: false, migration: false, force: false, keep: 1, keepImages: 3 }],
          [{ mode: 'template', changed: true, migration: true, force: false, keep: 1, keepImages: 1 }],
        ],
      },
    );
  }, 240_000);

  test('a whole app: a subset or all of its services, changed or not, with its migration or without', async () => {
    const scenarios = fc.record({
      services: fc.subarray(['web', 'worker', 'queue'], { minLength: 1 }),
      changed: fc.boolean(),
      migration: fc.boolean(),
    });
    await fc.assert(
      fc.asyncProperty(scenarios, async ({ services, changed, migration }) => {
        const world: AppWorld = await givenApp();
        try {
          const config = appConfig({
            vars: { DB_HOST: changed ? 'db.prod.internal' : 'db.internal' },
            images: { app: { image: changed ? IMAGE : INITIAL_IMAGE, build: false } },
            migration: migration ? { service: 'web', command: 'migrate' } : undefined,
          });
          world.writeConfig(config);
          const run = (dryRun: boolean) => runAction({ services: services.join(','), 'dry-run': String(dryRun) }, { endpoint: world.sim.url, cwd: world.dir });
          const { listed, made } = await dryThenReal(world, run);
          expect([...made].sort(byAction)).toEqual(listed);
        } finally {
          await world.close();
        }
      }),
      { numRuns: 6, seed: 20261206 },
    );
  }, 180_000);
});
