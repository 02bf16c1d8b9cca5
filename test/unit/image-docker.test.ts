import { redactValues as redact } from '../../src/shared/secrets';
import { classifyDockerFailure, dockerError, pushedDigest } from '../../src/image/docker';
import { runProcess } from '../../src/image/process';

describe('docker output', () => {
  it.each([
    [['Cannot connect to the Docker daemon at unix:///x.sock. Is the docker daemon running?'], 'daemon'],
    [['Error response from daemon: Get "http://127.0.0.1:5999/v2/": dial tcp 127.0.0.1:5999: connect: connection refused'], 'unreachable'],
    [['Error response from daemon: login attempt to http://127.0.0.1:5055/v2/ failed with status: 401 Unauthorized'], 'auth'],
    [['no basic auth credentials'], 'auth'],
    [['denied: User: arn:aws:iam::1:user/x is not authorized to perform: ecr:InitiateLayerUpload'], 'auth'],
    [['The command returned a non-zero code: 7'], 'other'],
  ])('%j is a %s failure', (lines, kind) => {
    expect(classifyDockerFailure(lines)).toBe(kind);
  });

  it('finds the digest docker push reports', () => {
    const digest = `sha256:${'c'.repeat(64)}`;
    expect(pushedDigest(['abc: Pushed', `0123: digest: ${digest} size: 735`])).toBe(digest);
    expect(pushedDigest(['abc: Pushed'])).toBeUndefined();
  });

  it('redacts secrets, however often they appear', () => {
    expect(redact('pw=hunter22 again hunter22', ['hunter22', ''])).toBe('pw=*** again ***');
  });

  it('words errors by what went wrong, with the exit code and the output tail', () => {
    const error = dockerError('docker push r/web:1', 'r', { code: 1, stdout: '', lines: ['a', 'unauthorized: authentication required'] });
    expect(error.name).toBe('DeployError');
    expect(error.message).toMatch(/^docker push r\/web:1 failed \(exit code 1\): registry r refused the credentials \(authentication/);
    expect(error.message).toContain('\n  unauthorized: authentication required');
  });
});

describe('runProcess', () => {
  it('passes stdin, keeps the last 20 lines of both streams and the exit code', async () => {
    const script = 'read x; echo "got $x"; for i in $(seq 1 30); do echo "line $i" >&2; done; exit 3';
    const seen: string[] = [];
    const result = await runProcess('sh', ['-c', script], { env: process.env, stdin: 'secret\n', keepStdout: true, onLine: (line) => seen.push(line) });
    expect(result.code).toBe(3);
    expect(result.stdout).toBe('got secret\n');
    expect(result.lines).toHaveLength(20);
    expect(result.lines[19]).toBe('line 30');
    expect(seen).toHaveLength(31);
  });

  it('rejects with a StartError when the program is missing', async () => {
    await expect(runProcess('ecs-ship-no-such-program', [], { env: process.env })).rejects.toThrow(/not found on PATH/);
  });
});
