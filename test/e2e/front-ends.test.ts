// The same core behind three front ends: each reads its platform's inputs and reports its platform's way.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { inputsOf } from '../../src/inputs/schema';
import { ROOT, runCli, runPipe } from '../support/harness';
import { CLUSTER, SERVICE, givenService, webTemplate, type World } from '../support/world';

const IMAGE = '123456789012.dkr.ecr.us-east-1.amazonaws.com/web:v2';
const VERSION = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version;

let world: World;
afterEach(async () => world?.close());

describe('the CLI', () => {
  test('help and --help list the commands; deploy --help lists every input of the schema as a flag, by topic; -V and --version print the package version', async () => {
    const help = await runCli(['--help'], { endpoint: 'http://127.0.0.1:9' });
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Commands:\n {2}deploy /m);
    expect((await runCli(['help'], { endpoint: 'http://127.0.0.1:9' })).stdout).toBe(help.stdout);
    const deployHelp = await runCli(['deploy', '--help'], { endpoint: 'http://127.0.0.1:9' });
    expect(deployHelp.code).toBe(0);
    expect(deployHelp.stdout).toMatch(/^What to deploy:$[\s\S]*^Build:$[\s\S]*^Rollout:$/m);
    // The command is the first word, not a flag; each command's help lists its own inputs.
    for (const spec of inputsOf('deploy').filter((s) => s.name !== 'command')) expect(deployHelp.stdout).toContain(`--${spec.name} <${spec.type}>`);
    const continueHelp = await runCli(['continue', '--help'], { endpoint: 'http://127.0.0.1:9' });
    for (const spec of inputsOf('continue').filter((s) => s.name !== 'command')) expect(continueHelp.stdout).toContain(`--${spec.name} <${spec.type}>`);
    expect(deployHelp.stdout).not.toContain('--hook-id');
    for (const flag of ['--version', '-V']) expect((await runCli([flag], { endpoint: 'http://127.0.0.1:9' })).stdout.trim()).toBe(VERSION);
  });

  test('bad usage exits 2 with a message naming the flag', async () => {
    const unknown = await runCli(['deploy', '--clutser', 'prod'], { endpoint: 'http://127.0.0.1:9' });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown option "--clutser". Did you mean "--cluster"?');
    const notBoolean = await runCli(['deploy', '--cluster', 'prod', '--service', 'web', '--image', IMAGE, '--wait=maybe'], { endpoint: 'http://127.0.0.1:9' });
    expect(notBoolean.code).toBe(2);
    expect(notBoolean.stderr).toContain('wait: expected true or false, got "maybe"');
    const stray = await runCli(['deploy', '--cluster', 'prod', 'web'], { endpoint: 'http://127.0.0.1:9' });
    expect(stray.code).toBe(2);
    // A word that is no option names a service of the config file: without one, that is the problem.
    expect(stray.stderr).toContain('services: "web" given, but there is no config file to name them');
  });

  test('deploys with flags: repeated --vars, --no-build; progress on stderr without colour, outputs on stdout', async () => {
    world = await givenService();
    const run = await runCli(
      ['deploy', '--cluster', CLUSTER, '--service', SERVICE, '--image', IMAGE, '--no-build', '--task-definition', world.writeTemplate(webTemplate()), '--vars', 'DB_HOST=db1', '--vars', 'UNUSED=1'],
      { endpoint: world.sim.url },
    );
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('✔ Deployed.');
    expect(run.stderr).not.toContain('\x1b[');
    expect(run.stdout).not.toContain('::');
    expect(run.outputs['task-definition-arn']).toBe(world.serviceTaskDefinition());
    expect(world.sim.taskDefinitions('web').at(-1).containerDefinitions[0].environment).toEqual([{ name: 'DB_HOST', value: 'db1' }]);
    // The final account has its own header, and says the console links are not of the endpoint the run used.
    const summary = run.stderr.slice(run.stderr.indexOf('── Summary\n'));
    expect(summary).toMatch(/^── Summary\nService: web in prod \(us-east-1\) — https:\/\/us-east-1\.console\.aws\.amazon\.com\//);
    expect(summary).toContain(`AWS endpoint: ${world.sim.url} (AWS_ENDPOINT_URL), not AWS itself: the console links are of the real AWS console and show nothing of this run.`);
  });

  test('in a CI script step (GITHUB_ACTIONS=true, a Bitbucket build number) the flags are what counts', async () => {
    world = await givenService();
    const ci = { GITHUB_ACTIONS: 'true', BITBUCKET_BUILD_NUMBER: '7', INPUT_CLUSTER: 'not-this-one' };
    const run = await runCli(['deploy', '--cluster', CLUSTER, '--service', SERVICE, '--image', IMAGE, '--no-build', '--dry-run'], { endpoint: world.sim.url, env: ci });

    expect(run.code).toBe(0);
    expect(run.stderr).toContain('Plan (dry run: nothing is changed)');
    expect(run.stdout).not.toContain('::');
    expect(world.sim.mutatingCalls()).toEqual([]);
  });
});

describe('the Bitbucket Pipe', () => {
  test('reads UPPER_SNAKE variables, list variables as NAME_COUNT/NAME_n, and the Atlassian aliases', async () => {
    world = await givenService();
    const run = await runPipe(
      {
        CLUSTER_NAME: CLUSTER,
        SERVICE_NAME: SERVICE,
        IMAGE,
        BUILD: 'False',
        TASK_DEFINITION: world.writeTemplate(webTemplate({ env: { REGION_NAME: '${REGION_NAME}' } })),
        VARS_COUNT: '2',
        VARS_0: 'DB_HOST=db.bitbucket',
        VARS_1: 'REGION_NAME=eu-west-1',
        MIGRATION_COMMAND: 'bin/migrate --verbose',
      },
      { endpoint: world.sim.url },
    );
    expect(run.code).toBe(0);
    const env = world.sim.taskDefinitions('web').at(-1).containerDefinitions[0].environment;
    expect(env).toEqual(expect.arrayContaining([{ name: 'DB_HOST', value: 'db.bitbucket' }, { name: 'REGION_NAME', value: 'eu-west-1' }]));
    expect(run.outputs['task-definition-arn']).toBe(world.serviceTaskDefinition());
    expect(run.outputs['migration-exit-code']).toBe('0');
  });

  test('prints INFO: lines and a ✔ summary, never GitHub workflow commands', async () => {
    world = await givenService();
    const run = await runPipe(
      { CLUSTER, SERVICE, IMAGE, BUILD: 'false', TASK_DEFINITION: world.writeTemplate(webTemplate()), VARS: 'DB_HOST=db' },
      { endpoint: world.sim.url },
    );
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^INFO: /m);
    expect(run.stdout).toMatch(/✔ Deployed /);
    expect(run.stdout).toMatch(/^(\x1b\[1m)?INFO: ── Summary(\x1b\[0m)?\nINFO: Service: web in prod/m);
    expect(run.log).not.toMatch(/^::/m);
  });

  test('a failure is a ✖ line with the reason and exit code 1; the outputs file still says what happened', async () => {
    world = await givenService();
    world.sim.scenario.task = (ctx) => (ctx.startedBy === 'runTask' ? { exitCode: 3, runMs: 30 } : {});
    const run = await runPipe(
      { CLUSTER, SERVICE, IMAGE, BUILD: 'false', TASK_DEFINITION: world.writeTemplate(webTemplate()), VARS: 'DB_HOST=db', MIGRATION_COMMAND: 'migrate' },
      { endpoint: world.sim.url },
    );
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/✖ Migration failed: container "web" exited with code 3/);
    expect(run.outputs['migration-exit-code']).toBe('3');
    expect(world.serviceTaskDefinition()).toBe(world.initialArn);
  });

  test('DEBUG=true turns on debug lines', async () => {
    const quiet = await runPipe({ CLUSTER: 'x' }, { endpoint: 'http://127.0.0.1:9' });
    const loud = await runPipe({ CLUSTER: 'x', DEBUG: 'true' }, { endpoint: 'http://127.0.0.1:9' });
    expect(quiet.code).toBe(2);
    expect(quiet.stdout).not.toMatch(/^DEBUG: /m);
    expect(loud.stdout).toMatch(/^DEBUG: /m);
  });
});

describe('Bitbucket OIDC', () => {
  test('with AWS_OIDC_ROLE_ARN and the step token, the role is assumed through STS and every call is signed with its credentials', async () => {
    world = await givenService();
    const token = 'eyJhbGciOiJSUzI1NiJ9.step-token-never-printed.c2lnbmF0dXJl';
    const run = await runPipe(
      { CLUSTER, SERVICE, IMAGE, BUILD: 'false', AWS_OIDC_ROLE_ARN: 'arn:aws:iam::123456789012:role/bitbucket-deploy', BITBUCKET_STEP_OIDC_TOKEN: token },
      { endpoint: world.sim.url, env: { AWS_ACCESS_KEY_ID: '', AWS_SECRET_ACCESS_KEY: '', AWS_SESSION_TOKEN: '' } },
    );
    expect(run.code).toBe(0);
    const [assume, ...rest] = world.sim.calls;
    expect(assume).toMatchObject({ service: 'sts', action: 'AssumeRoleWithWebIdentity', input: { RoleArn: 'arn:aws:iam::123456789012:role/bitbucket-deploy', WebIdentityToken: token } });
    expect(new Set(rest.map((call) => call.accessKeyId))).toEqual(new Set([expect.stringMatching(/^ASIA/)]));
    expect(run.log).not.toContain(token);
  });
});
