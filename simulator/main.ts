import { startSimulator, type SimulatorOptions } from './index';
import { seedDemo } from './seed';
import { SIMULATOR_CREDENTIALS, TIMING_PROFILES, type Timing } from './types';

const USAGE = [
  'usage: simulator [--port N] [--seed demo] [--timing fast|realistic] [--timing-scale X]',
  '  --timing: fast (tests; the default) or realistic (ECS minutes as seconds; the default with --seed demo)',
  '  ECR hands out SIM_ECR_REGISTRY with SIM_ECR_USERNAME/SIM_ECR_PASSWORD when set;',
  '  requests must be signed with SIM_ACCESS_KEY_ID/SIM_SECRET_ACCESS_KEY (default: the key printed at start).',
].join('\n');

type Profile = keyof typeof TIMING_PROFILES;

function parseArgs(argv: string[]): { port: number; seed?: string; timing?: Profile; timingScale: number } {
  const options = { port: 4566, seed: undefined as string | undefined, timing: undefined as Profile | undefined, timingScale: 1 };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split('=', 2);
    const value = () => inline ?? argv[++i];
    if (flag === '--port') options.port = Number(value());
    else if (flag === '--seed') options.seed = value();
    else if (flag === '--timing') options.timing = value() as Profile;
    else if (flag === '--timing-scale') options.timingScale = Number(value());
    else throw new Error(`unknown argument ${argv[i]}\n${USAGE}`);
  }
  if (!Number.isInteger(options.port) || options.port < 0) throw new Error(`--port needs a port number\n${USAGE}`);
  if (options.seed !== undefined && options.seed !== 'demo') throw new Error(`unknown seed ${options.seed}\n${USAGE}`);
  if (options.timing !== undefined && !Object.hasOwn(TIMING_PROFILES, options.timing)) throw new Error(`--timing is fast or realistic\n${USAGE}`);
  if (!(options.timingScale > 0)) throw new Error(`--timing-scale needs a positive number\n${USAGE}`);
  return options;
}

function scaledTiming(profile: Profile, scale: number): Timing {
  const timing = { ...TIMING_PROFILES[profile] };
  for (const key of Object.keys(timing) as Array<keyof Timing>) if (key !== 'tickMs') timing[key] *= scale;
  return timing;
}

function credentialsFromEnv(): { accessKeyId: string; secretAccessKey: string } {
  const { SIM_ACCESS_KEY_ID: accessKeyId, SIM_SECRET_ACCESS_KEY: secretAccessKey } = process.env;
  return accessKeyId && secretAccessKey ? { accessKeyId, secretAccessKey } : SIMULATOR_CREDENTIALS;
}

/** A real registry for ECR to hand out (GetAuthorizationToken's proxyEndpoint), from SIM_ECR_* variables. */
function registryFromEnv(): SimulatorOptions['ecrRegistry'] {
  const { SIM_ECR_REGISTRY: host, SIM_ECR_USERNAME: username, SIM_ECR_PASSWORD: password } = process.env;
  if (!host || !username || !password) return undefined;
  return { proxyEndpoint: host.includes('://') ? host : `http://${host}`, username, password };
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  const profile = options.timing ?? (options.seed === 'demo' ? 'realistic' : 'fast');
  const key = credentialsFromEnv();
  const sim = await startSimulator({
    port: options.port,
    timing: scaledTiming(profile, options.timingScale),
    ecrRegistry: registryFromEnv(),
    credentials: { [key.accessKeyId]: key.secretAccessKey },
  });
  if (options.seed === 'demo') seedDemo(sim);
  console.log(`ecs-ship simulator listening on ${sim.url} (${profile} timing; requests signed with access key ${key.accessKeyId})`);
  const shutdown = () => {
    sim.close().finally(() => process.exit(0));
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
