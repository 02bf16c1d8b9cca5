// Trying ecs-ship without an account, as the README says: `ecs-ship simulator --seed app` in one shell, the
// lines it prints pasted into another, and examples/app deployed with its README's command, verification
// on, on a machine without Docker.
import { mkdirSync, readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { startFrontDoor, type FrontDoor } from '../support/front-door';
import { ROOT, runCli, tempDir } from '../support/harness';

const NO_ENDPOINT = { endpoint: 'http://127.0.0.1:9' };
const README_DEPLOY = ['deploy', '--config', 'examples/app/ecs-ship.yml', '--env', 'dev'];

let frontDoor: FrontDoor | undefined;
afterEach(async () => {
  await frontDoor?.stop();
  frontDoor = undefined;
});

/** A PATH with git and nothing else: no Docker engine, whatever this machine has. */
function pathWithoutDocker(): string {
  const bin = join(tempDir('ecs-ship-no-docker-'), 'bin');
  mkdirSync(bin);
  symlinkSync(spawnSync('sh', ['-c', 'command -v git'], { encoding: 'utf8' }).stdout.trim(), join(bin, 'git'));
  return bin;
}

describe('ecs-ship simulator', () => {
  test('--help says how to start it and what each seed holds; ecs-ship --help names it; an unknown option is bad usage', async () => {
    const help = await runCli(['simulator', '--help'], NO_ENDPOINT);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: ecs-ship simulator \[--seed demo\|app\] \[--port N\]/);
    expect(help.stdout).toContain('--seed app       the world of examples/app');
    expect((await runCli(['--help'], NO_ENDPOINT)).stdout).toMatch(/ecs-ship\s+simulator\s+\[--seed\s+demo\|app\]/);
    const unknown = await runCli(['simulator', '--sead', 'app'], NO_ENDPOINT);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('ecs-ship simulator: unknown argument "--sead" (see --help)');
  }, 30_000);

  test('given --seed app, the printed lines and the README\'s command deploy examples/app with verification on and no Docker; its five-minute bake lasts five ECS minutes', async () => {
    frontDoor = await startFrontDoor(['--seed', 'app', '--port', '0', '--timing', 'fast']);
    const { AWS_ENDPOINT_URL, ...exported } = frontDoor.exports;
    expect(Object.keys(exported)).toEqual(['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_REGION', 'ECS_SHIP_TIME_SCALE']);
    expect(exported).toMatchObject({ AWS_REGION: 'eu-west-1', ECS_SHIP_TIME_SCALE: '500' });
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    expect(readme).toContain('npx ecs-ship simulator --seed app');
    expect(readme).toContain(`npx ecs-ship ${README_DEPLOY.join(' ')}`);

    const run = await runCli(README_DEPLOY, { endpoint: AWS_ENDPOINT_URL, cwd: ROOT, env: { ...exported, AWS_SESSION_TOKEN: '', PATH: pathWithoutDocker() } });

    expect(run.code).toBe(0);
    expect(run.log).toContain('[web] Verified: 6 of the 6 references of the task definition exist.');
    expect(run.log).toContain('[worker] Verified: 4 of the 4 references of the task definition exist.');
    expect(run.log).toMatch(/shop\/app:[0-9a-f]{12} is already in the registry \(sha256:[0-9a-f]{64}\); not building it again/);
    expect(run.log).toMatch(/\[worker\] Baking deployment \S+ for 5 minutes \(--bake-minutes\), 0\.6 s of real time \(ECS_SHIP_TIME_SCALE=500: /);
    expect(run.log).toMatch(/\[worker\] Bake of deployment \S+ passed/);
    expect(run.log).toMatch(/\[web\] │ {3}No migrations to apply\./);
    expect(await frontDoor.stop()).toBe(0);
  }, 60_000);

  test('given a key of its own in SIM_ACCESS_KEY_ID and SIM_SECRET_ACCESS_KEY, the line to paste names the variables and never prints the secret', async () => {
    const secret = 'a-secret-of-this-machine-never-printed-7c1d';
    frontDoor = await startFrontDoor(['--seed', 'demo', '--port', '0'], { SIM_ACCESS_KEY_ID: 'AKIAOWNKEY0000000001', SIM_SECRET_ACCESS_KEY: secret });

    expect(frontDoor.exports).toMatchObject({ AWS_ACCESS_KEY_ID: '"$SIM_ACCESS_KEY_ID"', AWS_SECRET_ACCESS_KEY: '"$SIM_SECRET_ACCESS_KEY"', AWS_REGION: 'us-east-1', ECS_SHIP_TIME_SCALE: '60' });
    expect(await frontDoor.stop()).toBe(0);
    expect(frontDoor.output()).not.toContain(secret);
  }, 30_000);
});
