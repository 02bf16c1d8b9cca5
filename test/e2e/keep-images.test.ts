// keep-images: after a successful deploy, the images of the repositories the run deploys from beyond the
// newest N (by push time) go, except those still in use: the image deployed, an ACTIVE revision of the
// family, a running task. The dry run lists the deletions; a lookup the role may not make is a warning.
import { ECSClient, RunTaskCommand } from '@aws-sdk/client-ecs';
import { TEST_CREDENTIALS } from '../support/harness';
import { deploy, warnings } from '../support/scenarios';
import { CLUSTER, givenService, NETWORK, REGISTRY, webTemplate, type World } from '../support/world';

let world: World;
afterEach(async () => world?.close());

const DAY = 24 * 60 * 60 * 1000;
const SHOP = 'shop';
/** s0 … s5, pushed a day apart, s5 the newest. */
const digest = (i: number) => `sha256:${String(i).repeat(64)}`;
const pinned = (i: number) => `${REGISTRY}/${SHOP}@${digest(i)}`;

/**
 * Given six images of repository shop pushed a day apart; an ACTIVE revision of family web naming s2;
 * a one-off task of another family (batch) running s3; the deploy deploys s1.
 */
async function givenShopImages(): Promise<World> {
  const w = await givenService();
  for (let i = 0; i < 6; i++) w.sim.addImage(SHOP, `s${i}`, digest(i), Date.now() - (6 - i) * DAY);
  const older = webTemplate();
  older.containerDefinitions[0].image = `${REGISTRY}/${SHOP}:s2`;
  older.containerDefinitions[0].environment = [{ name: 'DB_HOST', value: 'db.internal' }];
  w.sim.addTaskDefinition(older);
  const batch = webTemplate();
  batch.family = 'batch';
  batch.containerDefinitions[0].image = pinned(3);
  const batchArn = w.sim.addTaskDefinition(batch);
  w.sim.scenario.task = (ctx) => (ctx.startedBy === 'runTask' ? { runMs: 600_000 } : {});
  const ecs = new ECSClient({ endpoint: w.sim.url, region: 'us-east-1', credentials: { accessKeyId: TEST_CREDENTIALS.AWS_ACCESS_KEY_ID, secretAccessKey: TEST_CREDENTIALS.AWS_SECRET_ACCESS_KEY, sessionToken: TEST_CREDENTIALS.AWS_SESSION_TOKEN } });
  await ecs.send(new RunTaskCommand({ cluster: CLUSTER, taskDefinition: batchArn, launchType: 'FARGATE', networkConfiguration: NETWORK as any }));
  ecs.destroy();
  return w;
}

const remaining = () => world.sim.images(SHOP).map((image) => image.digest).sort();

describe('keep-images', () => {
  test('given six images of shop, keep-images 2 deletes only the oldest one nothing uses; the dry run lists exactly that deletion first', async () => {
    world = await givenShopImages();

    const dry = await deploy(world, { image: pinned(1), 'keep-images': '2', 'dry-run': 'true' });
    expect(dry.code).toBe(0);
    const planned = JSON.parse(dry.outputs['planned-changes']);
    expect(planned.filter((c: { action: string }) => c.action === 'BatchDeleteImage')).toEqual([{ service: 'web', action: 'BatchDeleteImage', target: `${REGISTRY}/${SHOP}: ${digest(0)}` }]);
    expect(remaining()).toHaveLength(6);

    const run = await deploy(world, { image: pinned(1), 'keep-images': '2' });

    expect(run.code).toBe(0);
    // s5 and s4 are the newest two; s1 is deployed, s2 an ACTIVE revision's, s3 a running task's.
    expect(remaining()).toEqual([1, 2, 3, 4, 5].map(digest));
    expect(run.log).toMatch(/sha256:222222222222: revision web:2 \(ACTIVE\) names it/);
    expect(run.log).toContain('sha256:333333333333: running task');
    expect(world.sim.mutatingCalls()).toEqual(['RunTask', 'RegisterTaskDefinition', 'UpdateService', 'BatchDeleteImage']);
  });

  test('a lookup the role may not make is a warning: nothing is deleted, and the deploy succeeds', async () => {
    world = await givenShopImages();
    world.sim.scenario.deniedActions = ['ListTasks'];

    const run = await deploy(world, { image: pinned(1), 'keep-images': '1' });

    expect(run.code).toBe(0);
    expect(warnings(run)).toMatch(/keep-images: could not find out which images are in use \(.*AccessDenied.*\), so none was deleted\./);
    expect(remaining()).toHaveLength(6);
    expect(world.sim.mutatingCalls()).not.toContain('BatchDeleteImage');
  });

  test('without keep-images no image is looked at', async () => {
    world = await givenShopImages();
    const run = await deploy(world, { image: pinned(1) });
    expect(run.code).toBe(0);
    expect(world.sim.calls.filter((call) => call.action === 'DescribeImages' && !call.input?.imageIds)).toEqual([]);
    expect(remaining()).toHaveLength(6);
  });
});
