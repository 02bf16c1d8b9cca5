// The whole app's inputs kept whole and never leaked: what the config file and the front end give reaches
// each service as written, every mistake is named where it was made, and no problem quotes a value.
import { appConfig, givenApp, serviceTemplate, type AppWorld } from '../support/app-world';
import { runAction, runCli, type RunOptions, type RunResult } from '../support/harness';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
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

describe('a vars problem quotes no value', () => {
  const token = 'c2VjcmV0LXRva2VuLTQ4MjE5NzM=';
  const pemLine = 'MIIEvQIBADAN+gkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7=';

  test('given a config vars line in YAML style, the deploy stops before any change, naming the file, its line and the var, and the secret is in no log, annotation or summary', async () => {
    world = await givenApp();
    world.writeConfig(`${['cluster: prod', 'vars: |', '  DB_HOST=db.prod.internal', `  API_TOKEN: ${token}`, 'secret-vars: API_TOKEN'].join('\n')}\n${appConfigTail()}`);
    // The harness fails the run when the token, or the part of it before its = padding, is printed anywhere.
    const run = await deployApp({}, { secrets: [token, token.replace(/=+$/, '')] });

    expect(run.code).toBe(2);
    expect(failureMessage(run)).toContain('ecs-ship.yml:4: vars: line 2 of its value is in YAML style (API_TOKEN: …). Expected API_TOKEN=VALUE.');
    noChange();
  }, 30_000);

  test('given a PEM key over several lines of the vars input, the deploy stops before any change, and no line of the key is printed', async () => {
    world = await givenApp();
    world.writeConfig(appConfig());
    const pem = ['-----BEGIN PRIVATE KEY-----', pemLine, 'hkiG9w0BAQEF/AASCBKcwggSjAgE=', '-----END PRIVATE KEY-----'];
    const run = await deployApp({ vars: `TLS_KEY=${pem.join('\n')}` }, { secrets: [pemLine, pemLine.replace(/=+$/, ''), 'hkiG9w0BAQEF/AASCBKcwggSjAgE'] });

    expect(run.code).toBe(2);
    expect(failureMessage(run)).toContain('vars: line 1: the value of TLS_KEY begins a PEM block');
    noChange();
  }, 30_000);
});

/** The images, services and migration of appConfig(), as YAML text to follow a top level written by hand. */
function appConfigTail(): string {
  const { images, services, migration } = appConfig();
  return stringify({ images, services, migration });
}

describe('secret-vars in a whole app', () => {
  test('given secret-vars on one service and a subset that leaves it out, the deploy still masks that var in the services it deploys', async () => {
    world = await givenApp();
    const token = 'tok-9d3f61c2a8b7e045';
    templateWith('worker', ['API_TOKEN']);
    const config = appConfig({ vars: { DB_HOST: 'db.prod.internal', API_TOKEN: token } });
    (config.services as Record<string, Record<string, string>>).web['secret-vars'] = 'API_TOKEN';
    world.writeConfig(config);
    // The dry run's diff shows what the worker's revision gets: the harness fails the run if the token is in it.
    const run = await deployApp({ services: 'worker', 'dry-run': 'true' }, { secrets: [token] });

    expect(run.code).toBe(0);
    expect(run.log).toMatch(/API_TOKEN[\s\S]{0,80}\*\*\*/);
    expect(run.log).toContain(`::add-mask::${token}`);
  }, 30_000);
});

describe('the files the inputs name', () => {
  test('given a config file, a template or a vars file that is not UTF-8, the deploy stops before any change, naming the file, the line and the encoding found', async () => {
    world = await givenApp();
    const latin1 = world.writeConfig(stringify(appConfig({ vars: { DB_HOST: 'db.prod.internal', NOTE: 'caf\u00e9' } })));
    writeFileSync(latin1, Buffer.from(readFileSync(latin1, 'utf8'), 'latin1'));
    const config = await deployApp();
    expect(config.code).toBe(2);
    expect(failureMessage(config)).toBe(`config: ecs-ship.yml:${lineOf(latin1, 'NOTE')}: not UTF-8 (probably Latin-1 or Windows-1252). Expected UTF-8: save the file as UTF-8.`);

    world.writeConfig(appConfig({ 'vars-file': 'prod.env' }));
    writeFileSync(join(world.dir, 'prod.env'), Buffer.from('DB_HOST=db.prod.internal\nNOTE=caf\u00e9\n', 'latin1'));
    const varsFile = await deployApp({ services: 'worker' });
    expect(varsFile.code).toBe(2);
    expect(failureMessage(varsFile)).toContain('vars-file: prod.env:2: not UTF-8');

    world.writeConfig(appConfig());
    writeFileSync(join(world.dir, 'worker.json'), Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(JSON.stringify(serviceTemplate('worker')), 'utf16le')]));
    const template = await deployApp({ services: 'worker' });
    expect(template.code).toBe(2);
    expect(failureMessage(template)).toContain('task-definition: worker.json:1: the file is UTF-16 (little-endian, by its byte order mark). Expected UTF-8');
    noChange();
  }, 30_000);

  test('given a FIFO as the config file, a directory as the vars file or a device as the template, the deploy stops at once: not a regular file', async () => {
    world = await givenApp();
    const fifo = join(world.dir, 'fifo.yml');
    execFileSync('mkfifo', [fifo]);
    world.writeConfig(appConfig());
    // Read, a FIFO waits for a writer that never comes.
    const config = await deployApp({ config: fifo }, { timeoutMs: 15_000 });
    expect(config.code).toBe(2);
    expect(failureMessage(config)).toBe(`config: ${fifo} is not a regular file (it is a FIFO (named pipe)). Expected a file.`);

    world.writeConfig(appConfig({ 'vars-file': world.dir }));
    const varsFile = await deployApp({ services: 'worker' }, { timeoutMs: 15_000 });
    expect(varsFile.code).toBe(2);
    expect(failureMessage(varsFile)).toContain(`vars-file: ${world.dir} is not a regular file (it is a directory). Expected a file.`);

    world.writeConfig(appConfig());
    const template = await deployApp({ services: 'worker', 'task-definition': '/dev/zero' }, { timeoutMs: 15_000 });
    expect(template.code).toBe(2);
    expect(failureMessage(template)).toContain('task-definition: /dev/zero is not a regular file (it is a character device). Expected a file.');
    noChange();
  }, 60_000);
});

/** The line of the file on which `text` first appears. */
function lineOf(path: string, text: string): number {
  return readFileSync(path, 'latin1').split('\n').findIndex((line) => line.includes(text)) + 1;
}


describe('the YAML of the config file', () => {
  test('given keys that collide once parsed, an unknown tag and an alias, the deploy stops before any change with a problem for each, at its line', async () => {
    world = await givenApp();
    const top = ['cluster: prod', 'vars:', '  DB_HOST: db.prod.internal', '  true: a', '  "true": b', '  NOTE: !shell echo hello', 'x-defaults: &defaults', '  wait-timeout-minutes: 5'];
    const { images, services, migration } = appConfig();
    world.writeConfig(`${top.join('\n')}\n${stringify({ images, services, migration })}environments:\n  prod:\n    bake-minutes: *defaults\n`);
    const run = await deployApp({ environment: 'prod' });

    expect(run.code).toBe(2);
    const message = failureMessage(run);
    expect(message).toContain('ecs-ship.yml:5: vars: key "true" appears twice (lines 4 and 5). Expected each key once.');
    expect(message).toContain('ecs-ship.yml:6: !shell: an unknown tag. Expected plain YAML values, without tags.');
    expect(message).toMatch(/ecs-ship\.yml:\d+: \*defaults: an alias, which ecs-ship\.yml does not take\./);
    // The other problems of the file come with them.
    expect(message).toContain('ecs-ship.yml:7: x-defaults: unknown key.');
    noChange();
  }, 30_000);
});

describe('vars given to the step', () => {
  test('given --vars on the command line, the deploy layers them over the config file\'s vars by name, as every other layer does', async () => {
    world = await givenApp();
    templateWith('worker', ['NOTE', 'REGION_NAME']);
    world.writeConfig(appConfig({ vars: { DB_HOST: 'db.prod.internal', NOTE: 'from the file', REGION_NAME: 'eu-west-1' } }));
    const run = await runCli(['deploy', 'worker', '--vars', 'NOTE=from the command line'], { endpoint: world.sim.url, cwd: world.dir });

    expect(run.code).toBe(0);
    expect(registeredEnvironment('worker')).toEqual({ DB_HOST: 'db.prod.internal', NOTE: 'from the command line', REGION_NAME: 'eu-west-1' });
  }, 60_000);

  test('given a bad line in the vars input, its problem names the line as written in the input', async () => {
    world = await givenApp();
    world.writeConfig(appConfig());
    const run = await deployApp({ services: 'worker', vars: 'NOTE=ok\nno equals here' });

    expect(run.code).toBe(2);
    expect(failureMessage(run)).toContain('vars: line 2 has no "=". Expected KEY=VALUE.');
    noChange();
  }, 30_000);
});

describe('problems blame what was written', () => {
  test('given a bad setting of a service in the file, the CLI names the file, its line and key, not a flag nobody passed', async () => {
    world = await givenApp();
    const config = appConfig();
    (config.services as Record<string, Record<string, string>>).worker.wait = 'maybe';
    const path = world.writeConfig(config);
    const run = await runCli(['deploy', 'worker'], { endpoint: world.sim.url, cwd: world.dir });

    expect(run.code).toBe(2);
    expect(run.log).toContain(`ecs-ship.yml:${lineOf(path, '    wait: maybe')}: services.worker.wait: expected true or false, got "maybe".`);
    expect(run.log).not.toContain('--wait');

    (config.services as Record<string, Record<string, string>>).worker.wait = 'true';
    (config.services as Record<string, Record<string, string>>).worker['secret-vars'] = 'API_TOKNE';
    world.writeConfig(config);
    const secret = await runCli(['deploy', 'worker'], { endpoint: world.sim.url, cwd: world.dir });
    expect(secret.code).toBe(2);
    expect(secret.log).toContain('secret-vars: API_TOKNE is not defined in vars or vars-file (in ecs-ship.yml or given to the step) or the environment.');
    expect(secret.log).not.toContain('--vars');
    noChange();
  }, 30_000);

  test('given the migration command as a YAML list, the deploy runs the migration with those arguments', async () => {
    world = await givenApp();
    world.writeConfig(appConfig({ migration: { service: 'web', command: ['bin/migrate', '--to', 'latest version'] } }));
    const run = await deployApp({ services: 'web' });

    expect(run.code).toBe(0);
    const runTask = world.sim.calls.find((c) => c.action === 'RunTask')!.input as { overrides: { containerOverrides: unknown[] } };
    expect(runTask.overrides.containerOverrides).toEqual([{ name: 'web', command: ['bin/migrate', '--to', 'latest version'] }]);
  }, 60_000);

  test('given a scheduled task named at the top level, the deploy stops before any AWS call: names belong to one service', async () => {
    world = await givenApp();
    const path = world.writeConfig(appConfig({ 'scheduled-tasks': 'nightly-report' }));
    const run = await deployApp();

    expect(run.code).toBe(2);
    expect(failureMessage(run)).toBe(
      `ecs-ship.yml:${lineOf(path, 'scheduled-tasks')}: scheduled-tasks: names rules or schedules for every service, but each runs one service's family. Expected true or false here, and the names under services.<name>.scheduled-tasks.`,
    );
    expect(world.sim.calls.filter((c) => c.service !== 'sts')).toEqual([]);
  }, 30_000);

  test('given migration-command and a subset without the migration\'s service, the deploy refuses it instead of skipping the migration', async () => {
    world = await givenApp();
    world.writeConfig(appConfig());
    const run = await deployApp({ services: 'worker', 'migration-command': 'bin/migrate --all' });

    expect(run.code).toBe(2);
    expect(failureMessage(run)).toBe(
      "migration-command: given, but the migration runs with web's revision, and web is not among the services deployed (worker). Expected web among services, or no migration-command.",
    );
    noChange();
  }, 30_000);
});

describe('every problem at once', () => {
  test('given a mistake in the file and a template with an undefined placeholder, the deploy reports both in one run, the template\'s by its file', async () => {
    world = await givenApp();
    templateWith('worker', ['SENTRY_DSN']);
    const path = world.writeConfig(appConfig({ 'wait-timout-minutes': 5 }));
    const run = await deployApp();

    expect(run.code).toBe(2);
    const message = failureMessage(run);
    expect(message).toContain(`ecs-ship.yml:${lineOf(path, 'wait-timout-minutes')}: wait-timout-minutes: unknown key.`);
    expect(message).toContain('services.worker: task-definition: worker.json: unresolved placeholder ${SENTRY_DSN}');
    expect(message).not.toMatch(/services\.(web|queue): task-definition/);
    noChange();
  }, 30_000);
});
