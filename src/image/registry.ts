// Just enough of the registry HTTP API v2: does a tag exist (and its digest), and copy a tag.
import { createHash } from 'node:crypto';
import { isLoopbackHost } from './reference';

export interface RegistryAuth {
  username: string;
  password: string;
}

/** A login an ECR authorization token gives. */
export interface EcrLogin extends RegistryAuth {
  /** Registry host from the token's proxyEndpoint, when it has one. */
  host?: string;
}

export type RegistryFailure = 'auth' | 'unreachable' | 'other';

export class RegistryError extends Error {
  constructor(message: string, readonly kind: RegistryFailure, readonly status?: number) {
    super(message);
    this.name = 'RegistryError';
  }
}

const MANIFEST_TYPES = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.docker.distribution.manifest.v2+json',
].join(', ');

const TIMEOUT_MS = 30_000;

/** Loopback registries speak plain HTTP (Docker allows that for 127.0.0.0/8); all others HTTPS. */
export function registryBaseUrl(host: string): string {
  return `${isLoopbackHost(host) ? 'http' : 'https'}://${host}`;
}

/** The digest `repository:tag` points to, or undefined when the registry does not have it. */
export async function manifestDigest(host: string, repository: string, tag: string, auth?: RegistryAuth): Promise<string | undefined> {
  const url = manifestUrl(host, repository, tag);
  const scope = `repository:${repository}:pull`;
  const head = await request(host, url, { method: 'HEAD', headers: { Accept: MANIFEST_TYPES } }, scope, auth);
  if (head.status === 404) return undefined;
  expectOk(head, host, `${repository}:${tag}`);
  const digest = head.headers.get('docker-content-digest');
  if (digest) return digest;
  const get = await request(host, url, { method: 'GET', headers: { Accept: MANIFEST_TYPES } }, scope, auth);
  expectOk(get, host, `${repository}:${tag}`);
  return `sha256:${createHash('sha256').update(Buffer.from(await get.arrayBuffer())).digest('hex')}`;
}

/** Points `toTag` at the manifest `fromTag` points to, without pulling or pushing any layer. */
export async function copyTag(host: string, repository: string, fromTag: string, toTag: string, auth?: RegistryAuth): Promise<void> {
  const scope = `repository:${repository}:pull,push`;
  const source = await request(host, manifestUrl(host, repository, fromTag), { method: 'GET', headers: { Accept: MANIFEST_TYPES } }, scope, auth);
  expectOk(source, host, `${repository}:${fromTag}`);
  const contentType = source.headers.get('content-type') ?? 'application/vnd.docker.distribution.manifest.v2+json';
  const body = Buffer.from(await source.arrayBuffer());
  const put = await request(host, manifestUrl(host, repository, toTag), { method: 'PUT', headers: { 'Content-Type': contentType }, body }, scope, auth);
  expectOk(put, host, `${repository}:${toTag}`);
}

function manifestUrl(host: string, repository: string, reference: string): string {
  return `${registryBaseUrl(host)}/v2/${repository}/manifests/${encodeURIComponent(reference)}`;
}

function expectOk(response: Response, host: string, what: string): void {
  if (response.ok) return;
  if (response.status === 401 || response.status === 403) {
    throw new RegistryError(`registry ${host} refused access to ${what} (HTTP ${response.status}): check the credentials and permissions`, 'auth', response.status);
  }
  throw new RegistryError(`registry ${host} answered HTTP ${response.status} for ${what}`, 'other', response.status);
}

/** One request, answering a 401 challenge (Basic or Bearer token) once when credentials allow. */
async function request(host: string, url: string, init: RequestInit, scope: string, auth?: RegistryAuth): Promise<Response> {
  const first = await send(host, url, init);
  if (first.status !== 401) return first;
  const authorization = await authorizationFor(host, first.headers.get('www-authenticate') ?? '', scope, auth);
  if (!authorization) return first;
  return send(host, url, { ...init, headers: { ...(init.headers as Record<string, string>), Authorization: authorization } });
}

async function authorizationFor(host: string, challenge: string, scope: string, auth?: RegistryAuth): Promise<string | undefined> {
  const basic = auth ? `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}` : undefined;
  if (/^basic\b/i.test(challenge)) return basic;
  if (!/^bearer\b/i.test(challenge)) return undefined;
  const params = parseChallenge(challenge);
  if (!params.realm) return undefined;
  const tokenUrl = new URL(params.realm);
  if (params.service) tokenUrl.searchParams.set('service', params.service);
  tokenUrl.searchParams.set('scope', scope);
  const response = await send(host, tokenUrl.toString(), { method: 'GET', headers: basic ? { Authorization: basic } : {} });
  if (!response.ok) return undefined;
  const body = (await response.json()) as { token?: string; access_token?: string };
  const token = body.token ?? body.access_token;
  return token ? `Bearer ${token}` : undefined;
}

function parseChallenge(challenge: string): Record<string, string> {
  const params: Record<string, string> = {};
  for (const match of challenge.matchAll(/([a-zA-Z_]+)="([^"]*)"/g)) params[match[1].toLowerCase()] = match[2];
  return params;
}

async function send(host: string, url: string, init: RequestInit): Promise<Response> {
  try {
    return await fetch(url, { ...init, redirect: 'follow', signal: AbortSignal.timeout(TIMEOUT_MS) });
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    const why = cause?.code ?? cause?.message ?? (error as Error).message;
    throw new RegistryError(`registry ${host} is not answering (${why})`, 'unreachable');
  }
}
