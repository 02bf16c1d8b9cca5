// The real dockerd and registry started by .ci/docker-up.sh, for tests, and sample app contexts to build.
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { dockerEnv } from './docker-env';

export { dockerEnv, STATE_DIR, type DockerEnv } from './docker-env';

export const FIXTURE_APP = join(__dirname, '..', 'fixtures', 'app');

let skipAnnounced = false;

/** `it`; where Docker is not there, `it.skip` with the reason in the name (said once on stderr), or a failure in CI. */
export function dockerIt(name: string, fn: () => Promise<void>, timeout?: number): void {
  const docker = dockerEnv();
  if (docker.available) return void it(name, fn, timeout);
  if (process.env.CI === 'true') {
    // CI installs and starts Docker itself (.ci/run), so a missing engine there is a failure, never a skip.
    return void it(name, () => {
      throw new Error(`Docker is required in CI: ${docker.reason}`);
    });
  }
  if (!skipAnnounced) process.stderr.write(`Docker tests skipped: ${docker.reason}\n`);
  skipAnnounced = true;
  it.skip(`${name} [skipped: ${docker.reason}]`, fn);
}

/**
 * A small FROM scratch app context in `dir`: busybox, the fixture app's script, and a Dockerfile
 * whose RUN step writes `marker` into the image (a different marker gives a different image),
 * first sleeping `slowRunSeconds` if given, or, with failingRun, exits 7.
 */
export function makeAppContext(dir: string, options: { failingRun?: boolean; marker?: string; slowRunSeconds?: number } = {}): string {
  mkdirSync(dir, { recursive: true });
  copyFileSync(dockerEnv().busybox, join(dir, 'busybox'));
  copyFileSync(join(FIXTURE_APP, 'app.sh'), join(dir, 'app.sh'));
  const marker = (options.marker ?? 'sample').replace(/[^A-Za-z0-9._-]/g, '_');
  const slow = options.slowRunSeconds ? `echo building slowly; /bin/busybox sleep ${options.slowRunSeconds}; ` : '';
  const script = options.failingRun ? 'echo about to fail; exit 7' : `${slow}/bin/busybox --install -s /bin && echo ${marker} > /app/marker`;
  const dockerfile = [
    'FROM scratch',
    'COPY busybox /bin/busybox',
    'COPY app.sh /app/app.sh',
    `RUN ["/bin/busybox", "sh", "-c", ${JSON.stringify(script)}]`,
    'ENTRYPOINT ["/bin/sh", "/app/app.sh"]',
    'CMD ["serve"]',
    '',
  ].join('\n');
  writeFileSync(join(dir, 'Dockerfile'), dockerfile);
  return dir;
}

/** test/fixtures/app copied to `dir` with busybox beside it, ready for `docker build` (the demo's app). */
export function fixtureAppContext(dir: string): string {
  mkdirSync(dir, { recursive: true });
  for (const file of ['Dockerfile', 'app.sh', '.dockerignore']) copyFileSync(join(FIXTURE_APP, file), join(dir, file));
  copyFileSync(dockerEnv().busybox, join(dir, 'busybox'));
  return dir;
}
