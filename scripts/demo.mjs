// `npm run demo`: a complete deploy, migration included, against the bundled AWS simulator (realistic timing).
// With a Docker engine and a registry (the ones `.ci/docker-up.sh` starts), it builds and pushes the sample
// app in test/fixtures/app; without them it deploys a prebuilt image reference.
// `npm run demo -- --broken` deploys the demo's image that crashes after starting: the deploy fails and rolls back.
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { copyFileSync, cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// Node 24 (npm run uses the `node` dev dependency) runs this TypeScript module as is.
import { dockerEnv } from '../test/support/docker-env.ts';

const broken = process.argv.includes('--broken');
const ECR = '123456789012.dkr.ecr.us-east-1.amazonaws.com';
/** The simulator accepts requests signed with this key only; it is the demo's, not an AWS account's. */
const DEMO_KEY = { id: 'AKIAECSSHIPDEMO00001', secret: 'ecs-ship-demo-secret-access-key' };

const probed = broken ? { available: false } : dockerEnv();
const docker = probed.available ? probed : undefined;
const simEnv = {
  SIM_ACCESS_KEY_ID: DEMO_KEY.id,
  SIM_SECRET_ACCESS_KEY: DEMO_KEY.secret,
  ...(docker ? { SIM_ECR_REGISTRY: docker.registry.host, SIM_ECR_USERNAME: docker.registry.username, SIM_ECR_PASSWORD: docker.registry.password } : {}),
};
// The simulator's front door, as `npx ecs-ship simulator --seed demo` starts it.
const simulator = spawn(process.execPath, ['dist/index.js', 'simulator', '--port', '0', '--seed', 'demo', '--timing', 'realistic'], {
  env: { ...process.env, ...simEnv },
  stdio: ['ignore', 'pipe', 'inherit'],
});
const endpoint = await new Promise((resolve, reject) => {
  simulator.stdout.on('data', (chunk) => {
    const match = /listening on (http:\/\/\S+)/.exec(String(chunk));
    if (match) resolve(match[1]);
  });
  simulator.on('exit', (code) => reject(new Error(`the simulator exited with code ${code}`)));
});
console.log(`ecs-ship's AWS simulator (ECS, ECR, CloudWatch Logs, SSM, Secrets Manager) at ${endpoint}, with ECS's minutes as seconds.`);
console.log('Nothing here reaches AWS: the cluster "demo", its service "web" and the registry are simulated.\n');

let imageArgs;
let context;
if (broken) {
  imageArgs = ['--image', `${ECR}/demo-app:broken`, '--no-build'];
  console.log('Deploying demo-app:broken, an image that starts and then crashes: the deploy must fail and roll back.\n');
} else if (docker) {
  context = mkdtempSync(join(tmpdir(), 'ecs-ship-demo-app-'));
  cpSync('test/fixtures/app', context, { recursive: true });
  copyFileSync(docker.busybox, join(context, 'busybox'));
  imageArgs = ['--image', 'demo-app', '--context', context];
  console.log(`Docker engine and registry found: building the sample app and pushing it to ${docker.registry.host}\n`);
} else {
  imageArgs = ['--image', `${ECR}/demo-app:demo`, '--no-build'];
  console.log('No Docker engine and registry (.ci/docker-up.sh starts both): deploying a prebuilt image reference\n');
}

const args = [
  'dist/index.js', 'deploy',
  '--cluster', 'demo',
  '--service', 'web',
  ...imageArgs,
  '--task-definition', 'examples/demo/task-definition.yaml',
  '--vars', 'APP_ENV=demo',
  '--vars', 'RELEASE=1',
  ...(broken ? [] : ['--migration-command', '/app/app.sh migrate']),
];
const env = {
  ...process.env,
  ...(docker ? docker.env : {}),
  AWS_ENDPOINT_URL: endpoint,
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: DEMO_KEY.id,
  AWS_SECRET_ACCESS_KEY: DEMO_KEY.secret,
  AWS_SESSION_TOKEN: '',
  AWS_PROFILE: '',
  GITHUB_SHA: spawnSync('git', ['rev-parse', 'HEAD'], { encoding: 'utf8' }).stdout.trim() || '0'.repeat(40),
  GITHUB_ACTIONS: '',
  BITBUCKET_BUILD_NUMBER: '',
  BITBUCKET_CLONE_DIR: '',
};
console.log(`$ ecs-ship ${args.slice(1).map((a) => (/\s/.test(a) ? JSON.stringify(a) : a)).join(' ')}\n`);
let code;
try {
  const deploy = spawn(process.execPath, args, { env, stdio: 'inherit' });
  [code] = await once(deploy, 'exit');
} finally {
  simulator.kill('SIGTERM');
  if (context) rmSync(context, { recursive: true, force: true });
}

console.log('\n── Demo');
console.log('This ran against the simulator: no AWS account was used and nothing real was deployed or changed.');
console.log('The console links above point at the real AWS console, which knows nothing of this run (simulated).');
if (broken) {
  console.log(code === 1 ? 'As expected, the broken image failed the deploy and the service was rolled back.' : `Unexpected: the broken deploy exited ${code}.`);
}
process.exitCode = code ?? 1;
