// `npm run demo`: a complete deploy, migration included, against the bundled AWS simulator.
// With a Docker engine and a registry (the ones `.ci/docker-up.sh` starts), it builds and pushes the sample
// app in test/fixtures/app; without them it deploys a prebuilt image reference.
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { copyFileSync, cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// Node 24 (npm run uses the `node` dev dependency) runs this TypeScript module as is.
import { dockerEnv } from '../test/support/docker-env.ts';

/** The engine and registry to build with, when both answer. */
const probed = dockerEnv();
const docker = probed.available ? probed : undefined;
const simEnv = docker ? { SIM_ECR_REGISTRY: docker.registry.host, SIM_ECR_USERNAME: docker.registry.username, SIM_ECR_PASSWORD: docker.registry.password } : {};
const simulator = spawn(process.execPath, ['build/simulator.js', '--port', '0', '--seed', 'demo'], {
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
console.log(`AWS simulator (ECS, ECR, CloudWatch Logs) at ${endpoint}`);

let imageArgs;
if (docker) {
  const context = mkdtempSync(join(tmpdir(), 'ecs-ship-demo-app-'));
  cpSync('test/fixtures/app', context, { recursive: true });
  copyFileSync(docker.busybox, join(context, 'busybox'));
  imageArgs = ['--image', 'demo-app', '--context', context];
  console.log(`Docker engine and registry found: building the sample app and pushing it to ${docker.registry.host}\n`);
} else {
  imageArgs = ['--image', '123456789012.dkr.ecr.us-east-1.amazonaws.com/demo-app:demo', '--no-build'];
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
  '--migration-command', '/app/app.sh migrate',
];
const env = {
  ...process.env,
  ...(docker ? docker.env : {}),
  AWS_ENDPOINT_URL: endpoint,
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'AKIADEMO',
  AWS_SECRET_ACCESS_KEY: 'demo-secret',
  GITHUB_SHA: spawnSync('git', ['rev-parse', 'HEAD'], { encoding: 'utf8' }).stdout.trim() || '0'.repeat(40),
  GITHUB_ACTIONS: '',
  BITBUCKET_BUILD_NUMBER: '',
  BITBUCKET_CLONE_DIR: '',
};
console.log(`$ ecs-ship ${args.slice(1).map((a) => (/\s/.test(a) ? JSON.stringify(a) : a)).join(' ')}\n`);
const deploy = spawn(process.execPath, args, { env, stdio: 'inherit' });
const [code] = await once(deploy, 'exit');
simulator.kill('SIGTERM');
process.exitCode = code ?? 1;
