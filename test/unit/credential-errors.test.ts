import { credentialRefusal } from '../../src/aws/credential-errors';
import { isKnownRegion } from '../../src/inputs/known-region';

const awsError = (name: string, message: string) => Object.assign(new Error(message), { name, $metadata: { httpStatusCode: 400 } });

describe('credentials AWS refuses', () => {
  test('unknown keys and tokens, in the JSON and the query spelling, are "rejected"', () => {
    for (const name of ['UnrecognizedClientException', 'InvalidClientTokenId', 'InvalidIdentityTokenException']) {
      expect(credentialRefusal(awsError(name, 'The security token included in the request is invalid.'))).toMatch(/^AWS rejected the credentials: AWS does not know the access key or session token \(/);
    }
  });

  test('a signature that does not match says the secret does not match the key', () => {
    expect(credentialRefusal(awsError('SignatureDoesNotMatch', 'The request signature we calculated does not match'))).toMatch(/^AWS rejected the credentials: the secret access key does not match the access key id/);
  });

  test('an expired session says so and how to get fresh credentials', () => {
    expect(credentialRefusal(awsError('ExpiredTokenException', 'The security token included in the request is expired'))).toMatch(/^The AWS credentials have expired \(ExpiredTokenException: The security token included in the request is expired\)\. Get fresh ones/);
  });

  test('other errors (a denial, throttling, a missing cluster) are not about the credentials', () => {
    for (const name of ['AccessDeniedException', 'ThrottlingException', 'ClusterNotFoundException']) expect(credentialRefusal(awsError(name, 'no'))).toBeUndefined();
  });
});

describe("regions, by the AWS SDK's partition data", () => {
  test('regions of every partition are known', () => {
    for (const region of ['eu-west-1', 'us-east-1', 'ap-south-1', 'us-gov-west-1', 'cn-north-1']) expect(isKnownRegion(region)).toBe(true);
  });

  test('a name that only looks like a region is not', () => {
    for (const region of ['eu-wset-1', 'us-east-9', 'xx-west-1', 'eu-west']) expect(isKnownRegion(region)).toBe(false);
  });
});
