import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { copyTag, manifestDigest, registryBaseUrl } from '../../src/image/registry';

const MANIFEST = JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.docker.distribution.manifest.v2+json' });
const DIGEST = 'sha256:' + 'd'.repeat(64);
const BASIC = 'Basic ' + Buffer.from('u:p').toString('base64');

/** A registry that wants Basic auth, or a Bearer token from /token (given Basic auth) when `bearer`. */
async function fakeRegistry(options: { bearer?: boolean; omitDigestOnHead?: boolean } = {}) {
  const manifests = new Map<string, { body: string; type: string }>([['web:abc', { body: MANIFEST, type: 'application/vnd.docker.distribution.manifest.v2+json' }]]);
  const seen: string[] = [];
  let host = '';
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    seen.push(`${req.method} ${req.url}`);
    if (req.url?.startsWith('/token')) {
      if (req.headers.authorization !== BASIC) return void res.writeHead(401).end();
      return void res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ token: 'tok' }));
    }
    const wanted = options.bearer ? 'Bearer tok' : BASIC;
    if (req.headers.authorization !== wanted) {
      const challenge = options.bearer ? `Bearer realm="http://${host}/token",service="fake"` : 'Basic realm="fake"';
      return void res.writeHead(401, { 'WWW-Authenticate': challenge }).end();
    }
    const match = /^\/v2\/(.+)\/manifests\/(.+)$/.exec(req.url ?? '');
    if (!match) return void res.writeHead(404).end();
    const key = `${match[1]}:${decodeURIComponent(match[2])}`;
    if (req.method === 'PUT') {
      let body = '';
      req.on('data', (chunk) => (body += chunk));
      req.on('end', () => {
        manifests.set(key, { body, type: String(req.headers['content-type']) });
        res.writeHead(201).end();
      });
      return;
    }
    const found = manifests.get(key);
    if (!found) return void res.writeHead(404).end();
    const headers: Record<string, string> = { 'Content-Type': found.type };
    if (!(options.omitDigestOnHead && req.method === 'HEAD')) headers['Docker-Content-Digest'] = DIGEST;
    res.writeHead(200, headers).end(req.method === 'HEAD' ? undefined : found.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { host, manifests, seen, close: () => new Promise((resolve) => server.close(resolve)) };
}

describe('registry API', () => {
  it('uses HTTP on loopback only', () => {
    expect(registryBaseUrl('127.0.0.1:5055')).toBe('http://127.0.0.1:5055');
    expect(registryBaseUrl('ghcr.io')).toBe('https://ghcr.io');
  });

  it.each([false, true])('finds a tag and its digest (bearer: %s)', async (bearer) => {
    const registry = await fakeRegistry({ bearer });
    try {
      await expect(manifestDigest(registry.host, 'web', 'abc', { username: 'u', password: 'p' })).resolves.toBe(DIGEST);
      await expect(manifestDigest(registry.host, 'web', 'nope', { username: 'u', password: 'p' })).resolves.toBeUndefined();
    } finally {
      await registry.close();
    }
  });

  it('hashes the manifest when HEAD does not say the digest', async () => {
    const registry = await fakeRegistry({ omitDigestOnHead: true });
    try {
      const expected = 'sha256:' + createHash('sha256').update(MANIFEST).digest('hex');
      await expect(manifestDigest(registry.host, 'web', 'abc', { username: 'u', password: 'p' })).resolves.toBe(expected);
    } finally {
      await registry.close();
    }
  });

  it('reports refused credentials as an auth failure, without the password', async () => {
    const registry = await fakeRegistry();
    try {
      const error = await manifestDigest(registry.host, 'web', 'abc', { username: 'u', password: 'wrong-password' }).catch((e) => e);
      expect(error).toMatchObject({ name: 'RegistryError', kind: 'auth', status: 401 });
      expect(error.message).not.toContain('wrong-password');
      await expect(manifestDigest(registry.host, 'web', 'abc')).rejects.toMatchObject({ kind: 'auth' });
    } finally {
      await registry.close();
    }
  });

  it('reports a registry that does not answer', async () => {
    const registry = await fakeRegistry();
    await registry.close();
    await expect(manifestDigest(registry.host, 'web', 'abc')).rejects.toMatchObject({ kind: 'unreachable', message: expect.stringMatching(/is not answering \(ECONNREFUSED\)/) });
  });

  it('copies a tag by putting the same manifest under the new name', async () => {
    const registry = await fakeRegistry({ bearer: true });
    try {
      await copyTag(registry.host, 'web', 'abc', 'latest', { username: 'u', password: 'p' });
      expect(registry.manifests.get('web:latest')).toEqual(registry.manifests.get('web:abc'));
    } finally {
      await registry.close();
    }
  });
});
