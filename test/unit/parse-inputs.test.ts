import { parseInputs } from '../../src/inputs/parse';
import type { InputSpec } from '../../src/inputs/schema';
import { problemsOf as problemsThrownBy } from '../support/problems';

const given = (values: Record<string, string>) => (spec: InputSpec) => values[spec.name];
const required = { cluster: 'prod', service: 'web', image: 'web' };
const env = { AWS_REGION: 'eu-west-1' };

function problemsOf(values: Record<string, string>, environment: NodeJS.ProcessEnv = env): string[] {
  return problemsThrownBy(() => parseInputs(given(values), environment));
}

describe('parseInputs', () => {
  test('applies the schema defaults and the region from the environment', () => {
    const inputs = parseInputs(given(required), env);
    expect(inputs).toMatchObject({ build: true, wait: true, forceNewDeployment: false, migrationTimeoutMinutes: 30, waitTimeoutMinutes: 30, awsRegion: 'eu-west-1' });
  });

  test('falls back to AWS_DEFAULT_REGION, and an explicit aws-region wins', () => {
    expect(parseInputs(given(required), { AWS_DEFAULT_REGION: 'us-west-2' }).awsRegion).toBe('us-west-2');
    expect(parseInputs(given({ ...required, 'aws-region': 'ap-south-1' }), env).awsRegion).toBe('ap-south-1');
  });

  test('booleans accept true/false in any case', () => {
    expect(parseInputs(given({ ...required, build: 'FALSE', wait: 'True' }), env)).toMatchObject({ build: false, wait: true });
  });

  test('reports every problem at once, each naming its input and what was expected', () => {
    const problems = problemsOf({ image: 'web', build: 'yes', 'wait-timeout-minutes': 'soon' });
    expect(problems).toEqual([
      expect.stringMatching(/^cluster: required/),
      expect.stringMatching(/^service: required/),
      'build: expected true or false, got "yes".',
      'wait-timeout-minutes: expected a positive number such as 30 or 0.5, got "soon".',
    ]);
  });

  test('a region the SDK would refuse is an error naming aws-region or the variable it came from', () => {
    expect(problemsOf({ ...required, 'aws-region': 'eu west 1' })).toEqual(['aws-region: "eu west 1" is not a region name. Expected a region such as eu-west-1.']);
    expect(problemsOf({ ...required, 'aws-region': '{' })).toEqual([expect.stringMatching(/^aws-region: "\{" is not a region name/)]);
    expect(problemsOf(required, { AWS_REGION: 'eu-west-1/' })).toEqual([expect.stringMatching(/^aws-region: not set, and AWS_REGION is "eu-west-1\/", which is not a region name/)]);
    expect(parseInputs(given({ ...required, 'aws-region': 'us-gov-west-1' }), env).awsRegion).toBe('us-gov-west-1');
  });

  test('a missing region is an error naming aws-region', () => {
    expect(problemsOf(required, {})).toEqual([expect.stringMatching(/^aws-region: not set/)]);
  });

  test('zero and negative timeouts are refused', () => {
    expect(problemsOf({ ...required, 'migration-timeout-minutes': '0' })).toEqual([expect.stringMatching(/^migration-timeout-minutes: expected a positive number/)]);
    expect(problemsOf({ ...required, 'wait-timeout-minutes': '-5' })).toHaveLength(1);
  });
});

describe('cluster and service ARNs', () => {
  const clusterArn = (region: string) => `arn:aws:ecs:${region}:123456789012:cluster/prod`;

  test('of the run region and the same cluster are fine, names are never looked at', () => {
    expect(parseInputs(given({ ...required, cluster: clusterArn('eu-west-1'), service: 'arn:aws:ecs:eu-west-1:123456789012:service/prod/web' }), env).cluster).toBe(clusterArn('eu-west-1'));
    expect(parseInputs(given({ ...required, cluster: 'prod', service: 'arn:aws:ecs:eu-west-1:123456789012:service/web' }), env).service).toMatch(/service\/web$/);
  });

  test('of another region, another cluster or another account are named', () => {
    expect(problemsOf({ ...required, cluster: clusterArn('us-east-1') })).toEqual([
      `cluster: "${clusterArn('us-east-1')}" is in region us-east-1, but the run uses eu-west-1 (from AWS_REGION).`,
    ]);
    expect(problemsOf({ ...required, cluster: clusterArn('eu-west-1'), service: 'arn:aws:ecs:eu-west-1:210987654321:service/prod/web', 'aws-region': 'eu-west-1' })).toEqual([
      `service: "arn:aws:ecs:eu-west-1:210987654321:service/prod/web" is in account 210987654321, but cluster "${clusterArn('eu-west-1')}" is in account 123456789012.`,
    ]);
    expect(problemsOf({ ...required, cluster: 'staging', service: 'arn:aws:ecs:eu-west-1:123456789012:service/prod/web' })).toEqual([
      'service: "arn:aws:ecs:eu-west-1:123456789012:service/prod/web" belongs to cluster "prod", not "staging".',
    ]);
  });

  test('that are not ECS ARNs of their kind are named', () => {
    expect(problemsOf({ ...required, cluster: 'arn:aws:ecs:eu-west-1:123456789012:service/prod/web' })).toEqual([
      expect.stringMatching(/^cluster: ".*" is not an ECS cluster ARN\. Expected arn:aws:ecs:REGION:ACCOUNT:cluster\/NAME, or the cluster name\.$/),
    ]);
  });
});

describe('minutes', () => {
  test.each(['0x10', '1e3', 'Infinity', '-0.5', '1,5', '30m'])('refuses %s: a positive number in decimal notation', (value) => {
    expect(problemsOf({ ...required, 'wait-timeout-minutes': value })).toEqual([`wait-timeout-minutes: expected a positive number such as 30 or 0.5, got "${value}".`]);
  });

  test.each([['0.05', 0.05], ['30', 30], ['.5', 0.5]])('takes %s', (value, minutes) => {
    expect(parseInputs(given({ ...required, 'migration-timeout-minutes': value }), env).migrationTimeoutMinutes).toBe(minutes);
  });
});

describe('max-task-failures', () => {
  test.each(['2.5', '0', '-1', '1e3', 'three'])('refuses %s: a whole number of 1 or more', (value) => {
    expect(problemsOf({ ...required, 'max-task-failures': value })).toEqual([`max-task-failures: expected a whole number of 1 or more, got "${value}".`]);
  });
});

describe('keep-revisions', () => {
  test('left empty, it is off (0): every revision is kept', () => {
    expect(parseInputs(given(required), env).keepRevisions).toBe(0);
    expect(parseInputs(given({ ...required, 'keep-revisions': '5' }), env).keepRevisions).toBe(5);
  });

  test.each(['0', '-2', '2.5', 'all', '1e2'])('refuses %s: a whole number of 1 or more', (value) => {
    expect(problemsOf({ ...required, 'keep-revisions': value })).toEqual([`keep-revisions: expected a whole number of 1 or more, got "${value}".`]);
  });
});
