// Building needs a Docker engine; the docker CLI alone logs in and fails later with the engine's raw lines.
import { InputError } from '../shared/errors';
import { inputName, setting } from '../inputs/spelling';
import { classifyDockerFailure, docker, type DockerContext } from './docker';

/**
 * Asks the engine for its version before any login or build. When none answers, the run stops with what
 * to do (start one, or deploy an image built elsewhere): nothing was built, pushed or changed.
 */
export async function requireDockerEngine(context: DockerContext): Promise<void> {
  const result = await docker(['version', '--format', '{{.Server.Version}}'], { ...context, onLine: undefined }, { keepStdout: true });
  // Anything else (an old CLI, a flag it does not know) is left to the build, which reports its own failure.
  if (result.code === 0 || classifyDockerFailure(result.lines) !== 'daemon') return;
  throw new InputError([noEngine(engineAddress(result.lines, context.env))]);
}

function engineAddress(lines: string[], env: NodeJS.ProcessEnv): string {
  const named = lines.map((line) => /docker daemon at (\S+?)\.?\s/i.exec(`${line} `)?.[1]).find(Boolean);
  return named ?? env.DOCKER_HOST ?? 'the default socket';
}

function noEngine(address: string): string {
  return (
    `build: no Docker engine answers at ${address}, and building the image needs one. Nothing was built or changed. ` +
    'Start one (Docker Desktop; `sudo systemctl start docker` on Linux; `services: [docker]` on a Bitbucket step; ' +
    `DOCKER_HOST if it listens elsewhere) and run again, or deploy an image built elsewhere: ${setting('build', false)} ` +
    `with ${inputName('image')} set to its full reference (a tag or a digest).`
  );
}
