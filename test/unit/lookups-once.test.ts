import { DescribeImagesCommand } from '@aws-sdk/client-ecr';
import { DescribeParametersCommand } from '@aws-sdk/client-ssm';
import { GetRoleCommand } from '@aws-sdk/client-iam';
import { askOnce } from '../../src/aws/ask-once';
import { Batch } from '../../src/aws/batch';
import type { AwsClients } from '../../src/aws/clients';
import { ecrImageProblem, roleProblem, ssmParameterProblem } from '../../src/aws/lookups';

/** Clients that answer from a small world and record what they were asked. */
function fakeAws(world: { tags: string[]; parameters: Record<string, number> }) {
  const calls: Array<{ name: string; input: any }> = [];
  const trust = encodeURIComponent(JSON.stringify({ Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { Service: 'ecs-tasks.amazonaws.com' } }] }));
  const send = async (command: any) => {
    calls.push({ name: command.constructor.name, input: command.input });
    if (command instanceof DescribeImagesCommand) {
      const ids = command.input.imageIds!;
      const missing = ids.find((id) => !world.tags.includes(id.imageTag!));
      if (missing) throw Object.assign(new Error(`no ${missing.imageTag}`), { name: 'ImageNotFoundException' });
      return { imageDetails: ids.map((id) => ({ imageTags: [id.imageTag] })) };
    }
    if (command instanceof DescribeParametersCommand) {
      const names: string[] = command.input.ParameterFilters![0].Values!;
      return { Parameters: names.filter((name) => name in world.parameters).map((name) => ({ Name: name, Version: world.parameters[name] })) };
    }
    if (command instanceof GetRoleCommand) return { Role: { AssumeRolePolicyDocument: trust } };
    throw new Error(`unexpected ${command.constructor.name}`);
  };
  const client = { send };
  const aws = { ecr: async () => client, ssm: async () => client, iam: async () => client } as unknown as AwsClients;
  return { aws, calls, count: (name: string) => calls.filter((c) => c.name === name).length };
}

describe('each resource looked up once, lookups of one kind together', () => {
  test('askOnce: the same question through the same client is asked once; another client asks again', async () => {
    let asked = 0;
    const ask = async () => ++asked;
    const a = {};
    expect(await Promise.all([askOnce(a, 'q', ask), askOnce(a, 'q', ask), askOnce(a, 'r', ask)])).toEqual([1, 1, 2]);
    expect(await askOnce({}, 'q', ask)).toBe(3);
  });

  test('Batch: keys asked in one turn go out together, at most `size` a call, each caller gets its own answer', async () => {
    const calls: number[][] = [];
    const batch = new Batch<number, number>(3, async (keys) => (calls.push(keys), keys.map((k) => k * 10)));
    const answers = await Promise.all([1, 2, 3, 4, 5].map((k) => batch.get(k)));
    expect(answers).toEqual([10, 20, 30, 40, 50]);
    expect(calls).toEqual([[1, 2, 3], [4, 5]]);
    expect(await batch.get(6)).toBe(60);
    expect(calls).toHaveLength(3);
  });

  test('Batch: a failed call fails each of its callers', async () => {
    const batch = new Batch<string, string>(10, async () => Promise.reject(new Error('denied')));
    const results = await Promise.allSettled(['a', 'b'].map((k) => batch.get(k)));
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
  });

  test('thirty services sharing one image and two roles: one DescribeImages, one GetRole per role', async () => {
    const { aws, count } = fakeAws({ tags: ['v2'], parameters: {} });
    const lookups = Array.from({ length: 30 }, () => [ecrImageProblem(aws, '123456789012', 'web', { tag: 'v2' }), roleProblem(aws, 'web-execution'), roleProblem(aws, 'web-task')]).flat();
    expect(new Set(await Promise.all(lookups))).toEqual(new Set([undefined]));
    expect(count('DescribeImagesCommand')).toBe(1);
    expect(count('GetRoleCommand')).toBe(2);
  });

  test('tags of one repository in one DescribeImages; when one is missing, each is asked alone and only it is a problem', async () => {
    const { aws, calls } = fakeAws({ tags: ['v1', 'v2'], parameters: {} });
    const found = await Promise.all(['v1', 'v2'].map((tag) => ecrImageProblem(aws, '123456789012', 'web', { tag })));
    expect(found).toEqual([undefined, undefined]);
    expect(calls.map((c) => c.input.imageIds.length)).toEqual([2]);
    const { aws: other, count } = fakeAws({ tags: ['v1'], parameters: {} });
    const problems = await Promise.all(['v1', 'gone'].map((tag) => ecrImageProblem(other, '123456789012', 'web', { tag })));
    expect(problems).toEqual([undefined, 'is not in ECR: repository web has no image tagged gone']);
    expect(count('DescribeImagesCommand')).toBe(3);
  });

  test('twelve parameters: two DescribeParameters (ten names a call), never a value; versions still checked', async () => {
    const parameters = Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`/prod/p${i}`, 2]));
    const { aws, calls } = fakeAws({ tags: [], parameters });
    const names = [...Object.keys(parameters), '/prod/missing'];
    const problems = await Promise.all(names.map((name) => ssmParameterProblem(aws, name)));
    expect(problems.filter(Boolean)).toEqual(['is not in SSM Parameter Store: there is no parameter /prod/missing']);
    expect(calls.map((c) => c.input.ParameterFilters[0].Values.length)).toEqual([10, 2]);
    expect(await ssmParameterProblem(aws, '/prod/p0', 3)).toBe('selects version 3 of /prod/p0, which SSM Parameter Store does not have: its latest is 2');
    expect(calls).toHaveLength(2);
  });
});
