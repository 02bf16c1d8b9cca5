// No leaks, no injection. Every run in this file is also scanned by the harness for the test credentials,
// the registry passwords and every secret registered here (registerSecret).
import { GetAuthorizationTokenCommand, ECRClient } from '@aws-sdk/client-ecr';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { dockerEnv, dockerIt, makeAppContext } from '../support/docker';
import { registerSecret, runAction, runCli, runPipe, SIMULATOR_ECR_LOGIN, spawnCollect, TEST_CREDENTIALS, type RunResult } from '../support/harness';
import { CLUSTER, SERVICE, givenService, webTemplate, type World } from '../support/world';
import { IMAGE } from '../support/scenarios';


let world: World;
afterEach(async () => world?.close());

const random = () => randomBytes(6).toString('hex');

const TEST_CREDENTIALS_FOR_SDK = {
  accessKeyId: TEST_CREDENTIALS.AWS_ACCESS_KEY_ID,
  secretAccessKey: TEST_CREDENTIALS.AWS_SECRET_ACCESS_KEY,
  sessionToken: TEST_CREDENTIALS.AWS_SESSION_TOKEN,
};

/** A secret, registered with the harness in every form a run could print it in (as is, and JSON-escaped). */
function secret(value: string): string {
  registerSecret(value, 'a secret-vars value');
  registerSecret(JSON.stringify(value).slice(1, -1), 'a secret-vars value, JSON-escaped');
  return value;
}

/** The web template with API_TOKEN in the web container's environment. */
const templateWithToken = (extra: Record<string, string> = {}) => webTemplate({ env: { API_TOKEN: '${API_TOKEN}', ...extra } });

const environmentOf = (definition: any): Record<string, string> =>
  Object.fromEntries(definition.containerDefinitions[0].environment.map((e: { name: string; value: string }) => [e.name, e.value]));
const registered = () => world.sim.taskDefinitions('web').at(-1);

function deploy(inputs: Record<string, string>, template: object = templateWithToken(), env: Record<string, string> = {}): Promise<RunResult> {
  return runAction(
    { cluster: CLUSTER, service: SERVICE, image: IMAGE, build: 'false', 'task-definition': world.writeTemplate(template), ...inputs },
    { endpoint: world.sim.url, env },
  );
}

describe('the harness scans every run for secrets', () => {
  test('a run that prints a test credential fails; a ::add-mask:: command alone does not', async () => {
    const leak = `console.log('key: ' + ${JSON.stringify(TEST_CREDENTIALS.AWS_SECRET_ACCESS_KEY)})`;
    await expect(spawnCollect(process.execPath, ['-e', leak], { env: {}, cwd: __dirname })).rejects.toThrow(
      /Secret leaked: TEST_CREDENTIALS\.AWS_SECRET_ACCESS_KEY appears in the run's stdout, in the line:\n {2}key: \[SECRET\]/,
    );
    const mask = `console.log('::add-mask::' + ${JSON.stringify(TEST_CREDENTIALS.AWS_SESSION_TOKEN)})`;
    await expect(spawnCollect(process.execPath, ['-e', mask], { env: {}, cwd: __dirname })).resolves.toMatchObject({ code: 0 });
  });

  test("the simulator's ECR password is the one the harness scans for", async () => {
    world = await givenService();
    const ecr = new ECRClient({ region: 'us-east-1', endpoint: world.sim.url, credentials: TEST_CREDENTIALS_FOR_SDK });
    const out = await ecr.send(new GetAuthorizationTokenCommand({}));
    const decoded = Buffer.from(out.authorizationData![0].authorizationToken!, 'base64').toString('utf8');
    expect(decoded).toBe(`${SIMULATOR_ECR_LOGIN.username}:${SIMULATOR_ECR_LOGIN.password}`);
    ecr.destroy();
  });
});

describe('secret-vars', () => {
  test('GitHub: the value reaches the registered task definition, is masked for the runner, and is printed nowhere', async () => {
    world = await givenService();
    const token = secret(`tok-${random()}-${random()}`);
    world.sim.scenario.task = (ctx) => (ctx.startedBy === 'runTask' ? { runMs: 100, exitCode: 0, logLines: ['migrating'] } : {});
    const run = await deploy({ vars: `DB_HOST=db.prod.internal\nAPI_TOKEN=${token}`, 'secret-vars': 'API_TOKEN', 'migration-command': 'bin/migrate' });

    expect(run.code).toBe(0);
    expect(environmentOf(registered()).API_TOKEN).toBe(token);
    expect(run.stdout.split('\n')).toContain(`::add-mask::${token}`);
  });

  test("the report file: a failed migration that printed the value has *** in its log tail there, and the request names the var without its value", async () => {
    world = await givenService();
    const token = secret(`tok-${random()}-${random()}`);
    world.sim.scenario.task = (ctx) => (ctx.startedBy === 'runTask' ? { runMs: 100, exitCode: 1, logLines: [`connecting with ${token}`, 'refused'] } : {});
    const run = await deploy({ vars: `DB_HOST=db.prod.internal\nAPI_TOKEN=${token}`, 'secret-vars': 'API_TOKEN', 'migration-command': 'bin/migrate' });

    expect(run.code).toBe(1);
    const report = readFileSync(run.outputs['report-file'], 'utf8');
    expect(report).not.toContain(token);
    const { services } = JSON.parse(report);
    expect(services[0].migration.logTail).toEqual(['connecting with ***', 'refused']);
    expect(JSON.parse(report).request.services[0].inputs.vars).toEqual(['DB_HOST', 'API_TOKEN']);
  });

  test('the dry-run diff shows *** for the value, also when it needs JSON escaping', async () => {
    world = await givenService();
    const token = secret(`pa"ss\\word-${random()}`);
    const varsFile = join(world.dir, 'prod.env');
    writeFileSync(varsFile, `DB_HOST=db.prod.internal\nAPI_TOKEN='${token}'\n`);
    const run = await deploy({ 'vars-file': varsFile, 'secret-vars': 'API_TOKEN', 'dry-run': 'true' });

    expect(run.code).toBe(0);
    expect(run.log).toMatch(/\+\s+"name": "API_TOKEN",\n\+\s+"value": "\*\*\*"/);
    expect(world.sim.mutatingCalls()).toEqual([]);
  });

  test('after a rotation, the dry-run diff shows *** for the old value (the - side) and the new one (the + side), and neither is printed', async () => {
    world = await givenService();
    const old = secret(`old-${random()}-${random()}`);
    const rotated = secret(`new-${random()}-${random()}`);
    const first = await deploy({ vars: `DB_HOST=db.prod.internal\nAPI_TOKEN=${old}`, 'secret-vars': 'API_TOKEN' });
    expect(first.code).toBe(0);

    const run = await deploy({ vars: `DB_HOST=db.prod.internal\nAPI_TOKEN=${rotated}`, 'secret-vars': 'API_TOKEN', 'dry-run': 'true' });

    expect(run.code).toBe(0);
    expect(run.log).toMatch(/-\s+"value": "\*\*\*"\n\+\s+"value": "\*\*\* \(changed\)"/);
    expect(environmentOf(registered()).API_TOKEN).toBe(old);
  });

  test("errors that would quote the value quote *** instead: ours (exit 2) and AWS's (exit 1), annotation and job summary included", async () => {
    world = await givenService();
    const token = secret(`not-a-number-${random()}`);
    const ours = templateWithToken();
    ours.containerDefinitions[0].cpu = '${API_TOKEN}';
    const invalid = await deploy({ vars: `DB_HOST=db\nAPI_TOKEN=${token}`, 'secret-vars': 'API_TOKEN' }, ours);

    expect(invalid.code).toBe(2);
    expect(invalid.stdout).toMatch(/::error::task-definition: \S+task-definition\.json: containerDefinitions\[0\]\.cpu must be an integer, got "\*\*\*"\./);
    expect(invalid.summary).toContain('got "***"');

    // Task-level cpu is a string to us; ECS refuses the value, and its message quotes it.
    const refused = await deploy({ vars: `DB_HOST=db\nAPI_TOKEN=${token}`, 'secret-vars': 'API_TOKEN' }, { ...templateWithToken(), cpu: '${API_TOKEN}' });
    expect(refused.code).toBe(1);
    expect(refused.stdout).toMatch(/^::error::task-definition: ECS refused to register family "web": .*\*\*\*/m);
    expect(refused.summary).toContain('***');
    expect(world.sim.mutatingCalls()).toEqual(['RegisterTaskDefinition']);
    expect(world.sim.taskDefinitions('web')).toHaveLength(1);
  });

  test('the CLI: a value from vars-file, a multi-line value from the environment; neither is printed', async () => {
    world = await givenService();
    const fromFile = secret(`file-${random()}`);
    const multiLine = secret(`-----BEGIN KEY-----\nline-${random()}\n-----END KEY-----`);
    const varsFile = join(world.dir, 'secrets.env');
    writeFileSync(varsFile, `API_TOKEN=${fromFile}\n`);
    const run = await runCli(
      ['deploy', '--cluster', CLUSTER, '--service', SERVICE, '--image', IMAGE, '--no-build', '--task-definition', world.writeTemplate(templateWithToken({ SIGNING_KEY: '${SIGNING_KEY}' })),
        '--vars', 'DB_HOST=db', '--vars-file', varsFile, '--secret-vars', 'API_TOKEN,SIGNING_KEY', '--dry-run'],
      { endpoint: world.sim.url, env: { SIGNING_KEY: multiLine } },
    );
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/"value": "\*\*\*"/);
  });

  test('the Bitbucket Pipe: a secured variable named in SECRET_VARS reaches the task definition and is printed nowhere', async () => {
    world = await givenService();
    const password = secret(`db-${random()}${random()}`);
    const run = await runPipe(
      { CLUSTER, SERVICE, IMAGE, BUILD: 'false', TASK_DEFINITION: world.writeTemplate(webTemplate({ env: { DB_PASSWORD: '${DB_PASSWORD}' } })), VARS: 'DB_HOST=db', SECRET_VARS: 'DB_PASSWORD', DB_PASSWORD: password, DEBUG: 'true' },
      { endpoint: world.sim.url },
    );
    expect(run.code).toBe(0);
    expect(environmentOf(registered()).DB_PASSWORD).toBe(password);
  });

  test('a name defined nowhere is an input error naming it (a typo must not leave the secret unmasked); nothing changes', async () => {
    world = await givenService();
    const run = await deploy({ vars: 'DB_HOST=db\nAPI_TOKEN=abcdef', 'secret-vars': 'API_TOKEN\nAPI_TOKNE\nnot-a-name' });

    expect(run.code).toBe(2);
    expect(run.log).toContain('secret-vars: API_TOKNE is not defined in vars, vars-file or the environment.');
    expect(run.log).toContain('secret-vars: "not-a-name" is not a var name.');
    expect(world.sim.mutatingCalls()).toEqual([]);
  });
});

/** Every shell metacharacter we can think of, and a path a command substitution would create. */
function nastyText(pwned: string): string {
  return `$(touch ${pwned}) ; \`touch ${pwned}\` && echo 'single' "double" | cat > ${pwned} \${HOME} $HOME * ~ #no-comment`;
}

describe('inputs full of shell metacharacters reach AWS as written', () => {
  test('migration-command (shell-like form): RunTask gets exactly the words, nothing is expanded or run', async () => {
    world = await givenService();
    const pwned = join(world.dir, 'pwned-by-migration-command');
    const command = `sh -c 'echo "$(touch ${pwned})"; id && ls | wc -l' "two words" \`touch ${pwned}\` a\\;b $HOME "it's"`;
    const run = await deploy({ vars: 'DB_HOST=db\nAPI_TOKEN=x', 'migration-command': command });

    expect(run.code).toBe(0);
    const [runTask] = world.sim.calls.filter((c) => c.action === 'RunTask').map((c) => c.input);
    expect(runTask.overrides.containerOverrides).toEqual([
      { name: 'web', command: ['sh', '-c', `echo "$(touch ${pwned})"; id && ls | wc -l`, 'two words', `\`touch`, `${pwned}\``, 'a;b', '$HOME', "it's"] },
    ]);
    expect(existsSync(pwned)).toBe(false);
  });

  test('migration-command (JSON form): newlines and metacharacters inside one argument arrive as one argument', async () => {
    world = await givenService();
    const pwned = join(world.dir, 'pwned-by-json-command');
    const argument = `first line\n${nastyText(pwned)}`;
    const run = await deploy({ vars: 'DB_HOST=db\nAPI_TOKEN=x', 'migration-command': JSON.stringify(['bin/migrate', '--note', argument]) });

    expect(run.code).toBe(0);
    const [runTask] = world.sim.calls.filter((c) => c.action === 'RunTask').map((c) => c.input);
    expect(runTask.overrides.containerOverrides[0].command).toEqual(['bin/migrate', '--note', argument]);
    expect(existsSync(pwned)).toBe(false);
  });

  test('a vars value: the registered task definition gets it verbatim, placeholders inside it are not expanded again', async () => {
    world = await givenService();
    const pwned = join(world.dir, 'pwned-by-vars');
    const value = nastyText(pwned);
    const varsFile = join(world.dir, 'nasty.env');
    // Double quotes, with the dotenv escapes for " and \ (and, in MULTI, for a newline).
    const quoted = `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
    writeFileSync(varsFile, `API_TOKEN=${quoted}\nMULTI="one\\ntwo \\"three\\" $(touch ${pwned})"\n`);
    const run = await deploy({ vars: 'DB_HOST=db', 'vars-file': varsFile }, templateWithToken({ MULTI: '${MULTI}' }));

    expect(run.code).toBe(0);
    const environment = environmentOf(registered());
    expect(environment.API_TOKEN).toBe(value);
    expect(environment.MULTI).toBe(`one\ntwo "three" $(touch ${pwned})`);
    expect(existsSync(pwned)).toBe(false);
  });

  const docker = dockerEnv();
  dockerIt(
    'build-args and labels: the image gets them verbatim (docker inspect), and nothing runs on this machine',
    async () => {
      world = await givenService({ ecrRegistry: { proxyEndpoint: `http://${docker.registry.host}`, username: docker.registry.username, password: docker.registry.password } });
      const pwned = join(world.dir, 'pwned-by-build');
      const value = nastyText(pwned);
      const context = makeAppContext(join(world.dir, 'app'));
      writeFileSync(
        join(context, 'Dockerfile'),
        ['FROM scratch', 'COPY busybox /bin/busybox', 'ARG EVIL_ARG', `RUN ["/bin/busybox", "sh", "-c", "printf '%s' \\"$EVIL_ARG\\" > /evil-arg"]`, ''].join('\n'),
      );
      const commit = randomBytes(20).toString('hex');
      const run = await runAction(
        {
          cluster: CLUSTER,
          service: SERVICE,
          image: 'ecs-ship-security/web',
          context,
          'build-args': `EVIL_ARG=${value}`,
          labels: `evil.label=${value}\nquotes="${'`'}x${'`'}" 'y'`,
          'task-definition': world.writeTemplate(webTemplate()),
          vars: 'DB_HOST=db',
        },
        { endpoint: world.sim.url, env: { ...docker.env, GITHUB_SHA: commit }, timeoutMs: 240_000 },
      );
      expect(run.code).toBe(0);

      const tagged = `${docker.registry.host}/ecs-ship-security/web:${commit.slice(0, 12)}`;
      const inspect = spawnSync('docker', ['inspect', '--format', '{{json .Config.Labels}}', tagged], { env: { ...process.env, ...docker.env }, encoding: 'utf8' });
      expect(inspect.status).toBe(0);
      expect(JSON.parse(inspect.stdout)).toMatchObject({ 'evil.label': value, quotes: `"\`x\`" 'y'`, 'org.opencontainers.image.revision': commit });
      const built = spawnSync('docker', ['run', '--rm', '--network', 'none', '--entrypoint', '/bin/busybox', tagged, 'cat', '/evil-arg'], {
        env: { ...process.env, ...docker.env },
        encoding: 'utf8',
      });
      expect({ status: built.status, stderr: built.stderr }).toEqual({ status: 0, stderr: '' });
      expect(built.stdout).toBe(value);
      expect(existsSync(pwned)).toBe(false);
    },
    240_000,
  );
});
