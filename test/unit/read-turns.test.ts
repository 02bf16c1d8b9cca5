// Fifty services followed at once read ECS in turns, within the budget one service's wait has.
import { DescribeServiceDeploymentsCommand, DescribeServicesCommand, StopServiceDeploymentCommand, UpdateServiceCommand, type ECSClient } from '@aws-sdk/client-ecs';
import { ReadTurns } from '../../src/aws/read-turns';
import { sharedReads } from '../../src/aws/shared-reads';

const ARN = (name: string) => `arn:aws:ecs:us-east-1:1:service/prod/${name}`;
const RECORD = (name: string) => `arn:aws:ecs:us-east-1:1:service-deployment/prod/${name}/r1`;

/** ECS as far as the reads go: each service's running count can be moved; each call is recorded with its time. */
function fakeEcs() {
  const running = new Map<string, number>();
  const ended = new Set<string>();
  /** Services whose record says their deployment succeeded (before DescribeServices shows it, or with it). */
  const recordEnded = new Set<string>();
  const calls: Array<{ name: string; at: number; items: string[] }> = [];
  const client = {
    send: async (command: any) => {
      if (command instanceof DescribeServicesCommand) {
        const names = command.input.services!.map((service: string) => service.split('/').at(-1)!);
        calls.push({ name: 'DescribeServices', at: Date.now(), items: names });
        return { $metadata: {}, failures: [], services: names.map((name: string) => ({ serviceArn: ARN(name), serviceName: name, deployments: [{ id: `ecs-svc/${name}`, status: 'PRIMARY', rolloutState: ended.has(name) ? 'COMPLETED' : 'IN_PROGRESS', runningCount: running.get(name) ?? 0 }] })) };
      }
      if (command instanceof DescribeServiceDeploymentsCommand) {
        const arns: string[] = command.input.serviceDeploymentArns!;
        calls.push({ name: 'DescribeServiceDeployments', at: Date.now(), items: arns });
        return { $metadata: {}, failures: [], serviceDeployments: arns.map((arn) => ({ serviceDeploymentArn: arn, serviceArn: ARN(arn.split('/')[2]), status: recordEnded.has(arn.split('/')[2]) ? 'SUCCESSFUL' : 'IN_PROGRESS' })) };
      }
      calls.push({ name: command.constructor.name, at: Date.now(), items: [] });
      return { $metadata: {} };
    },
  };
  return { client: client as unknown as ECSClient, calls, running, ended, recordEnded };
}

const names = (n: number) => Array.from({ length: n }, (_, i) => `svc-${i}`);

/** A watcher: reads its service every `everyMs` (after each answer) until `untilMs`; the times it got an answer. */
async function watch(ecs: ECSClient, name: string, everyMs: number, untilMs: number): Promise<number[]> {
  const answers: number[] = [];
  while (Date.now() < untilMs) {
    await ecs.send(new DescribeServicesCommand({ cluster: 'prod', services: [ARN(name)] }));
    answers.push(Date.now());
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
  return answers;
}

/** Fifty watchers following their services for `forMs` from an UpdateService, 130 s into it. */
async function fiftyFollowedPastTwoMinutes(forMs: number) {
  const { client, calls, ended } = fakeEcs();
  const ecs = sharedReads(client);
  await ecs.send(new UpdateServiceCommand({ cluster: 'prod', service: 'svc-0', taskDefinition: 'svc:2' }));
  const start = Date.now();
  const watchers = Promise.all(names(50).map((name) => watch(ecs, name, 500, start + forMs)));
  await jest.advanceTimersByTimeAsync(130_000);
  return { calls, ended, start, watchers };
}

describe('reads in turns', () => {
  beforeEach(() => jest.useFakeTimers({ now: 1_000_000 }));
  afterEach(() => jest.useRealTimers());

  test('fifty services watched for 110 s: fewer than one DescribeServices a second, ten services each, every service read at least every 10 s', async () => {
    const { client, calls } = fakeEcs();
    const ecs = sharedReads(client);
    await ecs.send(new UpdateServiceCommand({ cluster: 'prod', service: 'svc-0', taskDefinition: 'svc:2' }));
    const start = Date.now();
    const watchers = Promise.all(names(50).map((name) => watch(ecs, name, 500, start + 110_000)));
    await jest.advanceTimersByTimeAsync(130_000);
    const answers = await watchers;
    const reads = calls.filter((c) => c.name === 'DescribeServices');
    // The budget: one read a second from five seconds before the change (the headroom for quick reads after it).
    expect(reads.length).toBeLessThanOrEqual(115);
    expect(Math.max(...reads.map((r) => r.items.length))).toBe(10);
    const longestGap = Math.max(...answers.map((times) => Math.max(...times.slice(1).map((t, i) => t - times[i]))));
    expect(longestGap).toBeLessThanOrEqual(10_000);
  });

  test('while nothing moves, the turns come at the turn pace (2 s), not the budget; when one service moves, the others are read at once', async () => {
    const { client, calls, ended } = fakeEcs();
    const ecs = sharedReads(client);
    await ecs.send(new UpdateServiceCommand({ cluster: 'prod', service: 'svc-0', taskDefinition: 'svc:2' }));
    const start = Date.now();
    const watchers = Promise.all(names(30).map((name) => watch(ecs, name, 500, start + 60_000)));
    await jest.advanceTimersByTimeAsync(50_000);
    const reads = calls.filter((c) => c.name === 'DescribeServices' && c.at >= start + 10_000 && c.at < start + 49_000);
    expect(reads.length).toBeGreaterThanOrEqual(19);
    expect(reads.length).toBeLessThanOrEqual(21);
    for (const name of names(30)) ended.add(name);
    const before = calls.length;
    await jest.advanceTimersByTimeAsync(2_100);
    // The turn that saw the first end, then the two others at once: every service read within the turn pace and a moment.
    const after = calls.slice(before).filter((c) => c.name === 'DescribeServices');
    const sweep = after.slice(0, 3);
    expect(new Set(sweep.flatMap((c) => c.items)).size).toBe(30);
    expect(sweep[2].at - sweep[0].at).toBeLessThan(100);
    await jest.advanceTimersByTimeAsync(20_000);
    await watchers;
    // Nobody follows the services any more: no read goes on.
    const quiet = calls.length;
    await jest.advanceTimersByTimeAsync(30_000);
    expect(calls.length).toBe(quiet);
  });

  test('after the first two minutes too, the read that sees one rollout end has the others read at once, with the reads the turns left unspent', async () => {
    const { calls, ended, watchers } = await fiftyFollowedPastTwoMinutes(150_000);
    for (const name of names(50)) ended.add(name);
    const before = calls.length;
    await jest.advanceTimersByTimeAsync(3_000);
    const after = calls.slice(before).filter((c) => c.name === 'DescribeServices');
    const sweep = after.slice(0, 5);
    expect(new Set(sweep.flatMap((c) => c.items)).size).toBe(50);
    expect(sweep[4].at - sweep[0].at).toBeLessThan(100);
    await jest.advanceTimersByTimeAsync(30_000);
    await watchers;
  });

  test('services that end a moment after the sweep that followed the first ends are read again within the turn pace', async () => {
    const { calls, ended, watchers } = await fiftyFollowedPastTwoMinutes(150_000);
    for (const name of names(40)) ended.add(name);
    await jest.advanceTimersByTimeAsync(3_000);
    for (const name of names(50)) ended.add(name);
    const lateEnds = Date.now();
    await jest.advanceTimersByTimeAsync(2_100);
    const read = new Set(calls.filter((c) => c.name === 'DescribeServices' && c.at >= lateEnds).flatMap((c) => c.items));
    expect(names(50).slice(40).filter((name) => !read.has(name))).toEqual([]);
    await jest.advanceTimersByTimeAsync(30_000);
    await watchers;
  });

  test('ends that come one by one for minutes keep the reads within the whole wait\'s budget', async () => {
    const { calls, ended, start, watchers } = await fiftyFollowedPastTwoMinutes(300_000);
    for (const name of names(50)) {
      ended.add(name);
      await jest.advanceTimersByTimeAsync(3_000);
    }
    const end = Date.now();
    const reads = calls.filter((c) => c.name === 'DescribeServices' && c.at <= end).length;
    // The budget of the wait that started five seconds before the change: one read a second for two minutes,
    // one per two seconds after.
    const budget = 120 + Math.floor((end - (start - 5_000) - 120_000) / 2_000) + 1;
    expect(reads).toBeLessThanOrEqual(budget);
    await jest.advanceTimersByTimeAsync(200_000);
    await watchers;
  });

  test('after a StopServiceDeployment, and without a read of the service since, a record is read again', async () => {
    const { client, calls } = fakeEcs();
    const ecs = sharedReads(client);
    await ecs.send(new UpdateServiceCommand({ cluster: 'prod', service: 'web', taskDefinition: 'web:2' }));
    const record = () => Promise.all([ecs.send(new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: [RECORD('web')] })), jest.advanceTimersByTimeAsync(3_000)]);
    const service = () => Promise.all([ecs.send(new DescribeServicesCommand({ cluster: 'prod', services: [ARN('web')] })), jest.advanceTimersByTimeAsync(3_000)]);
    const recordReads = () => calls.filter((c) => c.name === 'DescribeServiceDeployments').length;
    for (let i = 0; i < 2; i++) {
      await record();
      await service();
    }
    await record();
    // Read right after the change, the record holds while its service, read in between, is read (up to 15 s).
    expect(recordReads()).toBe(1);
    // Only records, as a rollback's wait reads them: each is read.
    await record();
    expect(recordReads()).toBe(2);
    await service();
    await ecs.send(new StopServiceDeploymentCommand({ serviceDeploymentArn: RECORD('web'), stopType: 'ROLLBACK' }));
    await service();
    await record();
    expect(recordReads()).toBe(3);
  });

  test('a service asked for by name and by ARN is one item: one read', async () => {
    const { client, calls } = fakeEcs();
    const ecs = sharedReads(client);
    const asking = Promise.all([ecs.send(new DescribeServicesCommand({ cluster: 'prod', services: ['web'] })), ecs.send(new DescribeServicesCommand({ cluster: 'prod', services: [ARN('web')] }))]);
    await jest.advanceTimersByTimeAsync(10);
    const [byName, byArn] = await asking;
    expect(calls.map((c) => c.items)).toEqual([['web']]);
    expect([byName.services![0].serviceArn, byArn.services![0].serviceArn]).toEqual([ARN('web'), ARN('web')]);
  });

  test("a record is read again only when its service moved, and at once when its rollout ended; otherwise it is answered as last read", async () => {
    const { client, calls, running, ended } = fakeEcs();
    const ecs = sharedReads(client);
    await ecs.send(new UpdateServiceCommand({ cluster: 'prod', service: 'web', taskDefinition: 'web:2' }));
    const record = () => ecs.send(new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: [RECORD('web')] }));
    const service = () => ecs.send(new DescribeServicesCommand({ cluster: 'prod', services: [ARN('web')] }));
    const recordReads = () => calls.filter((c) => c.name === 'DescribeServiceDeployments').length;
    const settle = () => jest.advanceTimersByTimeAsync(3_000);
    // A watcher's turns: the record, then the service.
    const turns = async () => {
      const [answer] = await Promise.all([record(), settle()]);
      await Promise.all([service(), settle()]);
      return answer;
    };
    // The first read learns which service the record is of; read before the service was, it holds like the record
    // of a service that moved (15 s), and the read after that learns the version of the service's summary it goes with.
    for (let i = 0; i < 3; i++) await turns();
    expect(recordReads()).toBe(1);
    await turns();
    expect(recordReads()).toBe(2);
    for (let i = 0; i < 3; i++) expect((await turns()).serviceDeployments!.map((r) => r.serviceDeploymentArn)).toEqual([RECORD('web')]);
    expect(recordReads()).toBe(2);
    // The service moved: the record is read again, in its turn.
    running.set('web', 2);
    const moved = Promise.all([service(), jest.advanceTimersByTimeAsync(3_000)]);
    await moved;
    const reread = Promise.all([record(), jest.advanceTimersByTimeAsync(3_000)]);
    await reread;
    expect(recordReads()).toBe(3);
    // Its rollout ended: the record that confirms it is read at once.
    ended.add('web');
    await Promise.all([service(), jest.advanceTimersByTimeAsync(3_000)]);
    const asked = Date.now();
    const reading = record();
    await jest.advanceTimersByTimeAsync(0);
    await reading;
    expect(recordReads()).toBe(4);
    expect(calls.at(-1)!.at - asked).toBeLessThan(50);
  });

  test('a record read that shows its deployment ended has its service read at once to confirm it, past the budget', async () => {
    const { client, calls, running, recordEnded } = fakeEcs();
    const ecs = sharedReads(client);
    await ecs.send(new UpdateServiceCommand({ cluster: 'prod', service: 'web', taskDefinition: 'web:2' }));
    // One watcher, past the first two minutes: its reads take the budget's pace (one per two seconds).
    const watching = watch(ecs, 'web', 500, Date.now() + 130_000);
    await jest.advanceTimersByTimeAsync(126_000);
    // The service moves, then its record says the deployment succeeded.
    running.set('web', 2);
    recordEnded.add('web');
    await jest.advanceTimersByTimeAsync(8_000);
    await watching;
    const confirmed = ecs.send(new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: [RECORD('web')] })).then(() => ecs.send(new DescribeServicesCommand({ cluster: 'prod', services: [ARN('web')] })));
    await jest.advanceTimersByTimeAsync(5_000);
    await confirmed;
    const [record, service] = calls.slice(-2);
    expect([record.name, service.name]).toEqual(['DescribeServiceDeployments', 'DescribeServices']);
    expect(service.at - record.at).toBeLessThan(50);
  });

  test('an urgent read of an item already waiting in a later turn starts at once', async () => {
    const started: Array<{ at: number; items: string[] }> = [];
    const readAll = async (items: string[]) => (started.push({ at: Date.now(), items }), { items: items.map((serviceName) => ({ serviceName })), failures: [], $metadata: {} });
    // Every turn but an urgent one waits two seconds for the budget.
    const turns = new ReadTurns(10, readAll, ({ urgent }) => ({ startsAt: Date.now() + (urgent ? 0 : 2_000), earliest: Date.now() }), Date.now, 2_100);
    const asked = Date.now();
    const waiting = turns.answer(['web']);
    const urgent = turns.answer(['web'], { urgent: true });
    await jest.advanceTimersByTimeAsync(0);
    expect(started).toEqual([{ at: asked, items: ['web'] }]);
    await jest.advanceTimersByTimeAsync(2_000);
    await Promise.all([waiting, urgent]);
  });
});
