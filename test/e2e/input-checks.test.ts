// Bad input is exit 2 with a message naming the input and what was expected, before any side effect.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../support/harness';
import { deploy, failureMessage, IMAGE } from '../support/scenarios';
import { CLUSTER, SERVICE, givenService, webTemplate, type World } from '../support/world';

let world: World;
afterEach(async () => world?.close());

describe('an empty migration command', () => {
  test.each([
    ['[]', 'migration-command: the JSON array is empty.'],
    ['[""]', 'migration-command: the first word (the program to run) is empty.'],
    ["''", 'migration-command: the first word (the program to run) is empty.'],
    ['["  ", "migrate"]', 'migration-command: the first word (the program to run) is empty.'],
  ])('given migration-command %s, the run fails with exit 2 naming it, before any change', async (command, problem) => {
    world = await givenService();
    const run = await deploy(world, { 'migration-command': command });

    expect(run.code).toBe(2);
    expect(failureMessage(run)).toContain(problem);
    expect(world.sim.mutatingCalls()).toEqual([]);
  });
});

describe('vars given inline', () => {
  const template = () => webTemplate({ env: { TOKEN: '${TOKEN}' } });
  const tokenOf = () => world.sim.taskDefinitions('web').at(-1).containerDefinitions[0].environment.find((e: { name: string }) => e.name === 'TOKEN')?.value;

  test('given an inline value with " #", the value is kept whole: only a vars file has comments', async () => {
    world = await givenService();
    const run = await deploy(world, { vars: 'DB_HOST=db\nTOKEN=p@ss #word' }, {}, template());

    expect(run.code).toBe(0);
    expect(tokenOf()).toBe('p@ss #word');
  });

  test('given the same line in a vars file, " #" starts a comment there (dotenv)', async () => {
    world = await givenService();
    const varsFile = join(world.dir, 'deploy.env');
    writeFileSync(varsFile, 'TOKEN=p@ss #word\n');
    const run = await deploy(world, { vars: 'DB_HOST=db', 'vars-file': varsFile }, {}, template());

    expect(run.code).toBe(0);
    expect(tokenOf()).toBe('p@ss');
  });
});

describe('duplicate keys in a template', () => {
  test('given a JSON template with a key twice in one object, the run fails with exit 2 naming the key and where, before any change', async () => {
    world = await givenService();
    const json = JSON.stringify(webTemplate(), null, 2).replace('"image": "${IMAGE}",', '"image": "${IMAGE}",\n      "image": "nginx:latest",');
    const path = world.writeTemplate(json as never);
    const run = await deploy(world, {}, {}, json as never);

    expect(run.code).toBe(2);
    expect(failureMessage(run)).toContain(`task-definition: ${path}: key "image" appears twice in containerDefinitions[0] (lines 14 and 15). Expected each key once.`);
    expect(world.sim.mutatingCalls()).toEqual([]);
  });

  test('given a YAML template with a key twice, the message names the key too', async () => {
    world = await givenService();
    const yaml = 'family: web\nnetworkMode: awsvpc\nfamily: api\ncontainerDefinitions:\n  - name: web\n    image: ${IMAGE}\n';
    const path = world.writeTemplate(yaml as never, 'task-definition.yaml');
    const run = await deploy(world, { 'task-definition': path });

    expect(run.code).toBe(2);
    expect(failureMessage(run)).toContain(`task-definition: ${path}: key "family" appears twice (lines 1 and 3). Expected each key once.`);
    expect(world.sim.mutatingCalls()).toEqual([]);
  });
});

describe('input checks that need no AWS', () => {
  const noAwsCall = () => expect(world.sim.calls.map((c) => c.action)).toEqual([]);
  const REPOSITORY = '123456789012.dkr.ecr.us-east-1.amazonaws.com/web';

  test.each([
    [`${REPOSITORY}@sha256:${'ab'.repeat(20)}`, 'sha256:' + 'ab'.repeat(20)],
    [`${REPOSITORY}@md5:${'ab'.repeat(16)}`, 'md5:' + 'ab'.repeat(16)],
  ])('given image %s, the digest is refused: sha256: and 64 hex digits, exit 2, before any AWS call', async (image, digest) => {
    world = await givenService();
    const run = await deploy(world, { image });

    expect(run.code).toBe(2);
    expect(failureMessage(run)).toContain(`image: "${image}" is not a valid image reference: "${digest}" is not a digest (expected sha256: and 64 lowercase hex digits).`);
    noAwsCall();
  });

  test('given build false, an image without a tag or digest, no tag and no commit to take one from, the run fails naming image and tag, before any AWS call', async () => {
    world = await givenService();
    const run = await deploy(world, { image: REPOSITORY });

    expect(run.code).toBe(2);
    expect(failureMessage(run)).toContain(`image: "${REPOSITORY}" has no tag or digest, and with build: false it takes tag, which is empty, or the commit's tag, which cannot be told (GITHUB_SHA and BITBUCKET_COMMIT are not set`);
    noAwsCall();
  });

  test('given cluster and service ARNs of another region, or a service ARN of another cluster, each is named, before any AWS call', async () => {
    world = await givenService();
    const run = await deploy(world, {
      cluster: 'arn:aws:ecs:eu-west-1:123456789012:cluster/prod',
      service: 'arn:aws:ecs:us-east-1:123456789012:service/staging/web',
    });

    expect(run.code).toBe(2);
    const message = failureMessage(run);
    expect(message).toContain('cluster: "arn:aws:ecs:eu-west-1:123456789012:cluster/prod" is in region eu-west-1, but the run uses us-east-1 (from AWS_REGION).');
    expect(message).toContain('service: "arn:aws:ecs:us-east-1:123456789012:service/staging/web" belongs to cluster "staging", not "prod".');
    noAwsCall();
  });

  test('given a fractional max-task-failures, it is refused by name', async () => {
    world = await givenService();
    const run = await deploy(world, { 'max-task-failures': '2.5' });

    expect(run.code).toBe(2);
    expect(failureMessage(run)).toContain('max-task-failures: expected a whole number of 1 or more, got "2.5".');
    noAwsCall();
  });

  test('given a missing template file and another bad input, both come in one report, before any AWS call', async () => {
    world = await givenService();
    const missing = join(world.dir, 'no-such-template.json');
    const run = await deploy(world, { 'task-definition': missing, wait: 'maybe', 'migration-command': '[]' });

    expect(run.code).toBe(2);
    expect(failureMessage(run)).toBe(
      [
        '3 problems with the inputs:',
        '- wait: expected true or false, got "maybe".',
        '- migration-command: the JSON array is empty. Expected a command such as ["npm", "run", "migrate"], or leave migration-command empty for no migration.',
        `- task-definition: file not found: ${missing}`,
      ].join('\n'),
    );
    noAwsCall();
  });

  test('given a missing template file and no AWS credentials, the template is what the run names (exit 2), before any AWS call', async () => {
    world = await givenService();
    const missing = join(world.dir, 'no-such-template.json');
    const run = await deploy(world, { 'task-definition': missing }, { env: { AWS_ACCESS_KEY_ID: '', AWS_SECRET_ACCESS_KEY: '', AWS_SESSION_TOKEN: '' } });

    expect(run.code).toBe(2);
    expect(failureMessage(run)).toBe(`task-definition: file not found: ${missing}`);
    noAwsCall();
  });
});

describe('the CLI', () => {
  const cli = (...args: string[]) => runCli(['deploy', '--cluster', CLUSTER, '--service', SERVICE, '--image', IMAGE, ...args], { endpoint: world.sim.url });

  test('given an option whose value is -h or -v, that is its value, not a request for help or the version', async () => {
    world = await givenService();
    const run = await cli('--no-build', '--container-name', '-h', '--migration-container', '-v', '--dry-run');

    expect(run.code).toBe(2);
    expect(run.stdout).not.toContain('Usage:');
    expect(run.stderr).toContain('--container-name: no container named "-h" in the task definition.');
  });

  test('messages name settings as flags: --force-build, --no-build, --force-new-deployment', async () => {
    world = await givenService();
    const commit = 'c0ffee'.repeat(6) + 'c0ff';
    world.sim.addImage('web', commit.slice(0, 12), `sha256:${'cd'.repeat(32)}`);
    const context = join(world.dir, 'app');
    mkdirSync(context);
    writeFileSync(join(context, 'Dockerfile'), 'FROM scratch\n');
    const template = world.writeTemplate(webTemplate());
    const options = { endpoint: world.sim.url, env: { GITHUB_SHA: commit } };
    const reused = await runCli(['deploy', '--cluster', CLUSTER, '--service', SERVICE, '--image', 'web', '--context', context, '--task-definition', template, '--vars', 'DB_HOST=db'], options);
    const deployed = reused.outputs.image;
    const rerun = await runCli(['deploy', '--cluster', CLUSTER, '--service', SERVICE, '--image', deployed, '--no-build', '--task-definition', template, '--vars', 'DB_HOST=db', '--migration-command', 'bin/migrate'], options);

    expect(reused.code).toBe(0);
    expect(reused.stderr).toContain('not building it again (--force-build would).');
    expect(rerun.code).toBe(0);
    expect(rerun.stderr).toContain(`With --no-build, ${deployed} is deployed as is.`);
    expect(rerun.stderr).toContain('the migration is skipped (it ran when that revision was deployed; --force-new-deployment runs it again).');
    for (const run of [reused, rerun]) expect(run.stderr).not.toMatch(/\b(build|force-build): (true|false)/);
  });

  test('given --build maybe, the message names --build and what it takes', async () => {
    world = await givenService();
    const run = await cli('--build', 'maybe');

    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--build: expected true or false, got "maybe".');
    expect(world.sim.calls).toEqual([]);
  });

  test('inputs named inside a message are flags too: an undefined placeholder points at --vars and --vars-file', async () => {
    world = await givenService();
    const template = world.writeTemplate(webTemplate());
    const unresolved = await cli('--no-build', '--task-definition', template);
    const undefinedSecret = await cli('--no-build', '--task-definition', template, '--vars', 'DB_HOST=db', '--secret-vars', 'API_TOKEN');

    expect(unresolved.code).toBe(2);
    expect(unresolved.stderr).toContain('(define them in --vars, --vars-file or the environment;');
    expect(undefinedSecret.code).toBe(2);
    expect(undefinedSecret.stderr).toContain('--secret-vars: API_TOKEN is not defined in --vars, --vars-file or the environment.');
    for (const run of [unresolved, undefinedSecret]) expect(run.stderr).not.toMatch(/in vars, vars-file/);
  });
});
