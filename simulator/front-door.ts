// `ecs-ship simulator` (and `node bundles/simulator.js`): starts the simulator for a person, seeded, and
// prints the lines to paste into another shell to deploy to it.
import { spawnSync } from 'node:child_process';
import { startSimulator, type SimulatorOptions } from './index';
import { seedDemo } from './seed';
import { APP_SEED, seedApp } from './seed-app';
import { SIMULATOR_CREDENTIALS, TIMING_PROFILES, type Timing } from './types';

export const USAGE = [
  'Usage: ecs-ship simulator [--seed demo|app] [--port N] [--timing fast|realistic] [--timing-scale X] [--commit SHA]',
  '',
  "A local stand-in for AWS (ECS, ECR, CloudWatch, CloudWatch Logs, SSM, Secrets Manager, IAM, STS) to try",
  'ecs-ship without an account. It prints the variables that point ecs-ship at it; Ctrl-C stops it.',
  '',
  '  --seed demo      cluster demo, service web, ECR repository demo-app (npm run demo deploys to it)',
  '  --seed app       the world of examples/app (region eu-west-1): clusters shop-dev and shop-prod, their',
  '                   services, ECR holding shop/app and shop/nginx for the commit, SSM parameters, log',
  '                   groups, roles',
  '  --commit SHA     the commit whose images --seed app puts in ECR. Default: git rev-parse HEAD here',
  '  --port N         default 4566; 0 takes any free port',
  '  --timing         realistic (ECS minutes as seconds; the default with a seed) or fast (milliseconds;',
  '                   the tests, and the default without a seed)',
  '  --timing-scale X every simulated duration times X',
  '',
  'Requests must be signed with SIM_ACCESS_KEY_ID/SIM_SECRET_ACCESS_KEY when set, else with the key it',
  'prints. ECR hands out SIM_ECR_REGISTRY with SIM_ECR_USERNAME/SIM_ECR_PASSWORD when set.',
].join('\n');

type Profile = keyof typeof TIMING_PROFILES;
const SEEDS = ['demo', 'app'];

export interface FrontDoorOptions {
  port: number;
  seed?: string;
  timing?: Profile;
  timingScale: number;
  commit?: string;
}

/** The options, or `help`; throws an Error naming the problem. */
export function parseSimulatorArgs(argv: string[]): FrontDoorOptions | 'help' {
  const options: FrontDoorOptions = { port: 4566, timingScale: 1 };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split(/=(.*)/s, 2);
    const value = () => inline ?? argv[++i];
    if (flag === '-h' || flag === '--help') return 'help';
    else if (flag === '--port') options.port = Number(value());
    else if (flag === '--seed') options.seed = value();
    else if (flag === '--timing') options.timing = value() as Profile;
    else if (flag === '--timing-scale') options.timingScale = Number(value());
    else if (flag === '--commit') options.commit = value();
    else throw new Error(`unknown argument "${argv[i]}" (see --help)`);
  }
  if (!Number.isInteger(options.port) || options.port < 0 || options.port > 65_535) throw new Error('--port needs a port number (0: any free port)');
  if (options.seed !== undefined && !SEEDS.includes(options.seed)) throw new Error(`--seed is demo or app, not "${options.seed}"`);
  if (options.timing !== undefined && !Object.hasOwn(TIMING_PROFILES, options.timing)) throw new Error('--timing is fast or realistic');
  if (!(options.timingScale > 0)) throw new Error('--timing-scale needs a positive number');
  if (options.commit !== undefined && !/^[0-9a-f]{12,64}$/i.test(options.commit)) throw new Error(`--commit needs a commit SHA (12 hex digits or more), not "${options.commit}"`);
  return options;
}

function scaledTiming(profile: Profile, scale: number): Timing {
  const timing = { ...TIMING_PROFILES[profile] };
  for (const key of Object.keys(timing) as Array<keyof Timing>) if (key !== 'tickMs') timing[key] *= scale;
  return timing;
}

/** How many times faster than real time ECS's time runs here (60: a minute lasts a second). */
export function timeScaleOf(timing: Timing): number {
  return Math.round((1000 / timing.secondMs) * 1000) / 1000;
}

/** The key requests must be signed with; `fromEnv` when SIM_* set it (it is then not printed). */
function credentialsFrom(env: NodeJS.ProcessEnv): { accessKeyId: string; secretAccessKey: string; fromEnv: boolean } {
  const { SIM_ACCESS_KEY_ID: accessKeyId, SIM_SECRET_ACCESS_KEY: secretAccessKey } = env;
  return accessKeyId && secretAccessKey ? { accessKeyId, secretAccessKey, fromEnv: true } : { ...SIMULATOR_CREDENTIALS, fromEnv: false };
}

/** A real registry for ECR to hand out (GetAuthorizationToken's proxyEndpoint), from SIM_ECR_* variables. */
function registryFrom(env: NodeJS.ProcessEnv): SimulatorOptions['ecrRegistry'] {
  const { SIM_ECR_REGISTRY: host, SIM_ECR_USERNAME: username, SIM_ECR_PASSWORD: password } = env;
  if (!host || !username || !password) return undefined;
  return { proxyEndpoint: host.includes('://') ? host : `http://${host}`, username, password };
}

/** The commit of the repository the simulator runs in, as ecs-ship finds it when it deploys from there. */
function headCommit(): string | undefined {
  const git = spawnSync('git', ['rev-parse', 'HEAD'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  const sha = git.status === 0 ? git.stdout.trim() : '';
  return /^[0-9a-f]{40,64}$/.test(sha) ? sha : undefined;
}

/** Starts the simulator and prints how to use it; resolves (0) once SIGINT or SIGTERM has stopped it. */
export async function runSimulatorCommand(argv: string[], env: NodeJS.ProcessEnv): Promise<number> {
  let options;
  try {
    options = parseSimulatorArgs(argv);
  } catch (error) {
    process.stderr.write(`ecs-ship simulator: ${(error as Error).message}\n`);
    return 2;
  }
  if (options === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const profile = options.timing ?? (options.seed ? 'realistic' : 'fast');
  const timing = scaledTiming(profile, options.timingScale);
  const key = credentialsFrom(env);
  const region = options.seed === 'app' ? APP_SEED.region : 'us-east-1';
  let sim;
  try {
    sim = await startSimulator({ port: options.port, region, timing, ecrRegistry: registryFrom(env), credentials: { [key.accessKeyId]: key.secretAccessKey } });
  } catch (error) {
    const inUse = (error as NodeJS.ErrnoException).code === 'EADDRINUSE';
    process.stderr.write(`ecs-ship simulator: ${inUse ? `port ${options.port} is in use; --port N takes another, --port 0 any free one` : (error as Error).message}\n`);
    return 1;
  }
  const commit = options.seed === 'app' ? (options.commit ?? headCommit()) : undefined;
  if (options.seed === 'demo') seedDemo(sim);
  if (options.seed === 'app') seedApp(sim, commit?.toLowerCase().slice(0, 12));
  // Listening before the lines are printed: whoever acts on them may stop it at once.
  const stopped = new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  const scale = timeScaleOf(timing);
  const lines = [
    `ecs-ship simulator listening on ${sim.url} (${profile} timing: ECS's time runs ${scale} times faster; requests signed with access key ${key.accessKeyId})`,
    ...seedLines(options.seed, commit),
    'Nothing here reaches AWS. To deploy to it, paste into another shell:',
    '',
    `  export AWS_ENDPOINT_URL=${sim.url} AWS_ACCESS_KEY_ID=${key.fromEnv ? '"$SIM_ACCESS_KEY_ID"' : key.accessKeyId} AWS_SECRET_ACCESS_KEY=${key.fromEnv ? '"$SIM_SECRET_ACCESS_KEY"' : key.secretAccessKey} AWS_REGION=${region} ECS_SHIP_TIME_SCALE=${scale}`,
    '  unset AWS_SESSION_TOKEN AWS_PROFILE',
    ...(options.seed === 'app' ? ['  npx ecs-ship deploy --config examples/app/ecs-ship.yml --env dev'] : []),
    '',
    'Ctrl-C stops it; its world is gone with it.',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  await stopped;
  await sim.close();
  return 0;
}

function seedLines(seed: string | undefined, commit: string | undefined): string[] {
  if (seed === 'demo') return ['Seeded: cluster demo, service web on two tasks, ECR repository demo-app (tags demo, broken).'];
  if (seed !== 'app') return ['No seed: the world is empty (--seed demo or --seed app fill it).'];
  const images = commit ? `shop/app and shop/nginx tagged ${commit.slice(0, 12)} (commit ${commit})` : 'shop/app and shop/nginx tagged previous only (no git commit here: --commit SHA adds the images of a commit)';
  return [`Seeded with the world of examples/app: clusters shop-dev and shop-prod, services shop-web-dev, shop-worker-dev, shop-web, shop-worker; ECR holding ${images}; roles, SSM parameters /shop/<env>/…, log groups /ecs/shop-<env>.`];
}
