import { createHash } from 'node:crypto';
import { AwsError } from './errors';
import type { EcrRegistryConfig } from './types';

const MANIFEST_MEDIA_TYPES = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.docker.distribution.manifest.v2+json',
];

export interface RegistryManifest {
  digest: string;
  mediaType: string;
  size: number;
  body?: string;
}

const sha256Digest = (body: string) => `sha256:${createHash('sha256').update(body).digest('hex')}`;

/** A Docker Registry HTTP API v2 client for the registry standing in for ECR. */
export class RegistryClient {
  private readonly baseUrl: string;

  constructor(private readonly config: EcrRegistryConfig) {
    const endpoint = /^https?:\/\//.test(config.proxyEndpoint) ? config.proxyEndpoint : `https://${config.proxyEndpoint}`;
    this.baseUrl = endpoint.replace(/\/+$/, '');
  }

  /** `host[:port]` as used in image references. */
  get host(): string {
    return new URL(this.baseUrl).host;
  }

  private async request(method: string, path: string, init: { headers?: Record<string, string>; body?: string } = {}): Promise<Response> {
    const credentials = Buffer.from(`${this.config.username}:${this.config.password}`).toString('base64');
    try {
      return await fetch(`${this.baseUrl}${path}`, {
        method,
        headers: { Authorization: `Basic ${credentials}`, ...init.headers },
        body: init.body,
      });
    } catch (error) {
      throw new AwsError('ServerException', `The image registry could not be reached: ${(error as Error).message}`, 500);
    }
  }

  private unexpected(response: Response, what: string): AwsError {
    return new AwsError('ServerException', `The image registry answered ${response.status} to ${what}.`, 500);
  }

  /** The manifest a tag or digest names, or undefined when the registry does not know it. */
  async manifest(repository: string, reference: string, withBody = false): Promise<RegistryManifest | undefined> {
    const path = `/v2/${repository}/manifests/${reference}`;
    const headers = { Accept: MANIFEST_MEDIA_TYPES.join(', ') };
    let response = await this.request(withBody ? 'GET' : 'HEAD', path, { headers });
    if (response.status === 404) return undefined;
    if (!response.ok) throw this.unexpected(response, `${repository}:${reference}`);
    let body: string | undefined;
    let digest = response.headers.get('docker-content-digest') ?? undefined;
    if (withBody || !digest) {
      if (!withBody) response = await this.request('GET', path, { headers });
      if (!response.ok) throw this.unexpected(response, `${repository}:${reference}`);
      body = await response.text();
      digest ??= sha256Digest(body);
    }
    const mediaType = response.headers.get('content-type') ?? MANIFEST_MEDIA_TYPES[3];
    const size = body !== undefined ? Buffer.byteLength(body) : Number(response.headers.get('content-length') ?? 0);
    return { digest, mediaType, size, body };
  }

  async tags(repository: string): Promise<string[]> {
    const response = await this.request('GET', `/v2/${repository}/tags/list`);
    if (response.status === 404) return [];
    if (!response.ok) throw this.unexpected(response, `the tag list of ${repository}`);
    const listing = (await response.json()) as { tags?: string[] | null };
    return listing.tags ?? [];
  }

  async putManifest(repository: string, reference: string, body: string, mediaType: string): Promise<string> {
    const response = await this.request('PUT', `/v2/${repository}/manifests/${reference}`, {
      headers: { 'Content-Type': mediaType },
      body,
    });
    if (!response.ok) throw this.unexpected(response, `a manifest upload to ${repository}:${reference}`);
    return response.headers.get('docker-content-digest') ?? sha256Digest(body);
  }

  /** Deletes a manifest by digest (the registry must allow deletes); false when it refuses. */
  async deleteManifest(repository: string, digest: string): Promise<boolean> {
    const response = await this.request('DELETE', `/v2/${repository}/manifests/${digest}`);
    return response.ok || response.status === 404;
  }
}

export function manifestDigest(body: string): string {
  return sha256Digest(body);
}
