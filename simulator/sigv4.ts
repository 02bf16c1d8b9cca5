import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { AwsError } from './errors';

// AWS Signature Version 4, checked as AWS checks it: the request must be signed, with a key AWS knows,
// and the signature must be the one that key makes of this very request.

const AUTHORIZATION = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request,\s*SignedHeaders=([^,]+),\s*Signature=([0-9a-f]{64})$/;

const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');
const hmac = (key: string | Buffer, data: string) => createHmac('sha256', key).update(data).digest();

export interface SignatureErrors {
  missing: () => AwsError;
  unknownKey: () => AwsError;
  mismatch: () => AwsError;
}

/** The error names of the JSON protocols (ECS, ECR, Logs, SSM, Secrets Manager). */
export const JSON_SIGNATURE_ERRORS: SignatureErrors = {
  missing: () => new AwsError('MissingAuthenticationTokenException', 'Missing Authentication Token', 403),
  unknownKey: () => new AwsError('UnrecognizedClientException', 'The security token included in the request is invalid.', 403),
  mismatch: () =>
    new AwsError(
      'InvalidSignatureException',
      'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
      403,
    ),
};

/** The error names of the query protocol (STS). */
export const QUERY_SIGNATURE_ERRORS: SignatureErrors = {
  missing: () => new AwsError('MissingAuthenticationToken', 'Request is missing Authentication Token', 403),
  unknownKey: () => new AwsError('InvalidClientTokenId', 'The security token included in the request is invalid.', 403),
  mismatch: () => new AwsError('SignatureDoesNotMatch', JSON_SIGNATURE_ERRORS.mismatch().message, 403),
};

function encodeSegment(segment: string): string {
  return encodeURIComponent(decodeURIComponent(segment)).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function canonicalQuery(search: string): string {
  const pairs = [...new URLSearchParams(search)].map(([key, value]) => [encodeSegment(key), encodeSegment(value)]);
  return pairs
    .sort(([a, x], [b, y]) => (a === b ? (x < y ? -1 : 1) : a < b ? -1 : 1))
    .map(([key, value]) => `${key}=${value}`)
    .join('&');
}

function headerValue(request: IncomingMessage, name: string): string {
  const value = request.headers[name];
  const text = Array.isArray(value) ? value.join(',') : (value ?? '');
  return text.trim().replace(/\s+/g, ' ');
}

/** The access key that signed the request; throws the AWS error when the signature is absent, unknown or wrong. */
export function verifySignature(request: IncomingMessage, body: string, secretOf: (accessKeyId: string) => string | undefined, errors: SignatureErrors): string {
  const header = headerValue(request, 'authorization');
  if (!header) throw errors.missing();
  const match = AUTHORIZATION.exec(header);
  if (!match) throw errors.mismatch();
  const [, accessKeyId, date, region, service, signedHeaders, signature] = match;
  const secret = secretOf(accessKeyId);
  if (secret === undefined) throw errors.unknownKey();

  const url = new URL(request.url ?? '/', 'http://localhost');
  const path = url.pathname.split('/').map(encodeSegment).join('/') || '/';
  const headers = signedHeaders.split(';');
  const canonicalHeaders = headers.map((name) => `${name}:${headerValue(request, name)}\n`).join('');
  const payloadHash = headerValue(request, 'x-amz-content-sha256') || sha256(body);
  const canonicalRequest = [request.method, path, canonicalQuery(url.search), canonicalHeaders, signedHeaders, payloadHash].join('\n');
  const scope = `${date}/${region}/${service}/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', headerValue(request, 'x-amz-date'), scope, sha256(canonicalRequest)].join('\n');
  const key = hmac(hmac(hmac(hmac(`AWS4${secret}`, date), region), service), 'aws4_request');
  const expected = hmac(key, stringToSign);
  if (!timingSafeEqual(expected, Buffer.from(signature, 'hex'))) throw errors.mismatch();
  return accessKeyId;
}
