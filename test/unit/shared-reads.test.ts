import { DescribeServiceDeploymentsCommand, DescribeServicesCommand, ListTasksCommand, UpdateServiceCommand, type ECSClient } from '@aws-sdk/client-ecs';
import { sharedReads } from '../../src/aws/shared-reads';

/** A stand-in for the ECS client that answers every service it is asked about and records the calls. */
function fakeEcs(fail?: Error) {
  const calls: Array<{ name: string; input: any }> = [];
  const client = {
    send: async (command: any) => {
      calls.push({ name: command.constructor.name, input: command.input });
      if (fail) throw fail;
      if (command instanceof DescribeServicesCommand) {
        const services = command.input.services!.filter((s) => !s.endsWith('gone')).map((s) => ({ serviceArn: `arn:aws:ecs:us-east-1:1:service/prod/${s}`, serviceName: s }));
        const failures = command.input.services!.filter((s) => s.endsWith('gone')).map((s) => ({ arn: s, reason: 'MISSING' }));
        return { $metadata: {}, services, failures };
      }
      if (command instanceof DescribeServiceDeploymentsCommand) {
        return { $metadata: {}, serviceDeployments: command.input.serviceDeploymentArns!.map((arn) => ({ serviceDeploymentArn: arn, status: 'IN_PROGRESS' })), failures: [] };
      }
      return { $metadata: {} };
    },
  };
  return { client: client as unknown as ECSClient, calls };
}

const describe1 = (ecs: ECSClient, service: string) => ecs.send(new DescribeServicesCommand({ cluster: 'prod', services: [service] }));
const names = (n: number) => Array.from({ length: n }, (_, i) => `svc-${i}`);

describe('shared reads of several services', () => {
  test('ten watchers asking at once get one DescribeServices, each its own service', async () => {
    const { client, calls } = fakeEcs();
    const ecs = sharedReads(client);
    const answers = await Promise.all(names(10).map((name) => describe1(ecs, name)));
    expect(calls.filter((c) => c.name === 'DescribeServicesCommand')).toHaveLength(1);
    answers.forEach((answer, i) => expect(answer.services!.map((s) => s.serviceName)).toEqual([`svc-${i}`]));
  });

  test('eleven services take two reads of at most ten (the second filled with those read longest ago); failures go to the caller that asked', async () => {
    const { client, calls } = fakeEcs();
    const ecs = sharedReads(client);
    const answers = await Promise.all([...names(10), 'svc-gone'].map((name) => describe1(ecs, name)));
    const reads = calls.filter((c) => c.name === 'DescribeServicesCommand');
    expect(reads.map((c) => c.input.services.length)).toEqual([10, 10]);
    expect(reads[0].input.services).toEqual(names(10));
    expect(reads[1].input.services[0]).toBe('svc-gone');
    expect(answers[10].services).toEqual([]);
    expect(answers[10].failures).toEqual([{ arn: 'svc-gone', reason: 'MISSING' }]);
    expect(answers[3].failures).toEqual([]);
  });

  test('nobody gets the same answer twice; after a change the next read waits for the shared budget', async () => {
    let now = 1_000_000;
    const { client, calls } = fakeEcs();
    const ecs = sharedReads(client, () => now);
    await ecs.send(new UpdateServiceCommand({ cluster: 'prod', service: 'a', taskDefinition: 'a:2' }));
    await Promise.all(['a', 'b'].map((s) => describe1(ecs, s)));
    await describe1(ecs, 'b');
    const reads = () => calls.filter((c) => c.name === 'DescribeServicesCommand').length;
    // b had seen the first read: it got a new one (the change's headroom allows it at once).
    expect(reads()).toBe(2);
    // a has not seen the second read yet: it gets it without a third.
    now += 100;
    await describe1(ecs, 'a');
    expect(reads()).toBe(2);
  });

  test('an UpdateService makes the next read fresh; other commands pass through unchanged', async () => {
    const { client, calls } = fakeEcs();
    const ecs = sharedReads(client);
    await describe1(ecs, 'a');
    await ecs.send(new UpdateServiceCommand({ cluster: 'prod', service: 'b', taskDefinition: 'b:2' }));
    await describe1(ecs, 'b');
    await ecs.send(new ListTasksCommand({ cluster: 'prod' }));
    expect(calls.map((c) => c.name)).toEqual(['DescribeServicesCommand', 'UpdateServiceCommand', 'DescribeServicesCommand', 'ListTasksCommand']);
  });

  test('an error of a shared read reaches every caller, and the next read tries again', async () => {
    const denied = Object.assign(new Error('not allowed'), { name: 'AccessDeniedException' });
    const { client, calls } = fakeEcs(denied);
    const ecs = sharedReads(client);
    const results = await Promise.allSettled(['a', 'b'].map((s) => describe1(ecs, s)));
    expect(results.map((r) => r.status === 'rejected' && (r.reason as Error).name)).toEqual(['AccessDeniedException', 'AccessDeniedException']);
    await expect(describe1(ecs, 'a')).rejects.toThrow('not allowed');
    expect(calls).toHaveLength(2);
  });

  test('records of service deployments are read together too, at most twenty at a time', async () => {
    const { client, calls } = fakeEcs();
    const ecs = sharedReads(client);
    const arns = Array.from({ length: 3 }, (_, i) => `arn:aws:ecs:us-east-1:1:service-deployment/prod/s${i}/x`);
    const answers = await Promise.all(arns.map((arn) => ecs.send(new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: [arn] }))));
    expect(calls).toHaveLength(1);
    answers.forEach((answer, i) => expect(answer.serviceDeployments!.map((d) => d.serviceDeploymentArn)).toEqual([arns[i]]));
  });

  test('a caller that gives up gets its abort; the read goes on for the others', async () => {
    const { client } = fakeEcs();
    const ecs = sharedReads(client);
    const abort = new AbortController();
    abort.abort(new Error('cancelled'));
    const [mine, theirs] = await Promise.allSettled([
      ecs.send(new DescribeServicesCommand({ cluster: 'prod', services: ['a'] }), { abortSignal: abort.signal }),
      describe1(ecs, 'b'),
    ]);
    expect(mine.status).toBe('rejected');
    expect(theirs.status === 'fulfilled' && theirs.value.services!.map((s) => s.serviceName)).toEqual(['b']);
  });
});
