// A complete deploy, migration included, against the bundled simulator: what `npm run demo` shows.
import { spawn } from 'node:child_process';
import { once } from 'node:events';

const simulator = spawn(process.execPath, ['build/simulator.js', '--port', '0', '--seed', 'demo'], { stdio: ['ignore', 'pipe', 'inherit'] });
const endpoint = await new Promise((resolve, reject) => {
  simulator.stdout.on('data', (chunk) => {
    const match = /listening on (http:\/\/\S+)/.exec(String(chunk));
    if (match) resolve(match[1]);
  });
  simulator.on('exit', (code) => reject(new Error(`the simulator exited with code ${code}`)));
});
console.log(`AWS simulator (ECS, ECR, CloudWatch Logs) at ${endpoint}\n`);

const args = [
  'dist/index.js', 'deploy',
  '--cluster', 'demo',
  '--service', 'web',
  '--image', '123456789012.dkr.ecr.us-east-1.amazonaws.com/demo-app:demo',
  '--build', 'false',
  '--task-definition', 'examples/demo/task-definition.yaml',
  '--vars', 'APP_ENV=demo',
  '--vars', 'RELEASE=1',
  '--migration-command', '/bin/busybox sh -c "echo migrating; echo done"',
];
const env = {
  ...process.env,
  AWS_ENDPOINT_URL: endpoint,
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'AKIADEMO',
  AWS_SECRET_ACCESS_KEY: 'demo-secret',
  GITHUB_ACTIONS: '',
  BITBUCKET_BUILD_NUMBER: '',
  BITBUCKET_CLONE_DIR: '',
};
console.log(`$ ecs-ship ${args.slice(1).map((a) => (/\s/.test(a) ? JSON.stringify(a) : a)).join(' ')}\n`);
const deploy = spawn(process.execPath, args, { env, stdio: 'inherit' });
const [code] = await once(deploy, 'exit');
simulator.kill('SIGTERM');
process.exitCode = code ?? 1;
