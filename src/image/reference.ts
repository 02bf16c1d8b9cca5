/** An image reference split the way Docker reads it: [registry/]repository[:tag][@digest]. */
export interface ImageReference {
  registry?: string;
  repository: string;
  tag?: string;
  digest?: string;
}

const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const DOMAIN = /^(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*(?::[0-9]+)?$/;
const TAG = /^[\w][\w.-]{0,127}$/;
/** What registries and ECS take: a SHA-256 digest in lowercase hex. */
const DIGEST = /^sha256:[0-9a-f]{64}$/;
const AWS_ECR_HOST = /^[0-9]{12}\.dkr\.ecr(?:-fips)?\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?$/;

export function isValidTag(tag: string): boolean {
  return TAG.test(tag);
}

/** Throws an Error saying what is wrong; the message does not repeat the input's name. */
export function parseImageReference(text: string): ImageReference {
  const trimmed = text.trim();
  if (trimmed === '') throw new Error('empty image reference');
  let rest = trimmed;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!DIGEST.test(digest)) throw new Error(`"${digest}" is not a digest (expected sha256: and 64 lowercase hex digits)`);
  }
  let tag: string | undefined;
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!isValidTag(tag)) throw new Error(`"${tag}" is not a valid tag`);
  }
  const parts = rest.split('/');
  let registry: string | undefined;
  if (parts.length > 1 && (/[.:]/.test(parts[0]) || parts[0] === 'localhost' || /[A-Z]/.test(parts[0]))) {
    registry = parts.shift();
    if (!DOMAIN.test(registry ?? '')) throw new Error(`"${registry}" is not a registry host`);
  }
  const bad = parts.find((part) => !PATH_COMPONENT.test(part));
  if (bad !== undefined) {
    throw new Error(`"${bad || rest}" is not a valid repository name (lowercase letters, digits and . _ - separators, / between path parts)`);
  }
  return { registry, repository: parts.join('/'), tag, digest };
}

export function formatReference(ref: ImageReference): string {
  const name = ref.registry ? `${ref.registry}/${ref.repository}` : ref.repository;
  return `${name}${ref.tag ? `:${ref.tag}` : ''}${ref.digest ? `@${ref.digest}` : ''}`;
}

/** The region of an AWS ECR registry host (`<account>.dkr.ecr.<region>.amazonaws.com[.cn]`), else undefined. */
export function awsEcrRegion(host: string): string | undefined {
  return AWS_ECR_HOST.exec(host.toLowerCase())?.[1];
}

export function isAwsEcrHost(host: string): boolean {
  return awsEcrRegion(host) !== undefined;
}

/** The account that owns an ECR registry host (`<account>.dkr.ecr.<region>…`). */
export function awsEcrAccount(host: string): string | undefined {
  return isAwsEcrHost(host) ? host.slice(0, host.indexOf('.')) : undefined;
}

/** `https://host:port` (GetAuthorizationToken's proxyEndpoint) → `host:port`. */
export function hostOfEndpoint(endpoint: string): string {
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(endpoint) ? endpoint : `https://${endpoint}`;
  return new URL(withScheme).host;
}

export function isLoopbackHost(host: string): boolean {
  const name = host.replace(/:[0-9]+$/, '');
  return name === 'localhost' || /^127\./.test(name) || name === '[::1]';
}
