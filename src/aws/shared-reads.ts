// Several services followed at once read ECS together: one DescribeServices for up to 10 services, one
// DescribeServiceDeployments for up to 20 records, shared by every watcher that asks within the read budget.
import {
  DescribeClustersCommand,
  DescribeServiceDeploymentsCommand,
  DescribeServicesCommand,
  StopServiceDeploymentCommand,
  UpdateServiceCommand,
  type DescribeServiceDeploymentsCommandOutput,
  type DescribeServicesCommandOutput,
  type ECSClient,
  type Failure,
} from '@aws-sdk/client-ecs';
import { PACE, PollPace, sleep } from './poll';

const SERVICES_PER_READ = 10;
/** An answer older than this is not handed out again, even to a caller it is new to. */
const MAX_AGE_MS = PACE.lateMs;
const RECORDS_PER_READ = 20;
const CLUSTERS_PER_READ = 100;

interface Read<T> {
  startedAt: number;
  items: Set<string>;
  answer: Promise<T>;
}

type Answer = { items: object[]; failures: Failure[]; $metadata: DescribeServicesCommandOutput['$metadata'] };

/**
 * The client, with its reads of services and service deployments shared. An answer is reused while it is
 * fresh (its read started less than the quick pace ago), and for as long as a new read would break the
 * one read budget all the watchers share; any UpdateService or StopServiceDeployment through it makes the
 * next read fresh.
 */
export function sharedReads(ecs: ECSClient, now: () => number = Date.now): ECSClient {
  const shared = new SharedReads(ecs, now);
  const send = (command: unknown, options?: { abortSignal?: AbortSignal }) => shared.send(command, options);
  return new Proxy(ecs, { get: (target, property, receiver) => (property === 'send' ? send : Reflect.get(target, property, receiver)) });
}

class SharedReads {
  private readonly known = new Map<string, Set<string>>();
  private readonly reads = new Map<string, Read<Answer>>();
  /** Reads waiting for the budget, by kind. */
  private readonly pending = new Map<string, Read<Answer>>();
  /** The read each item's caller last got, by kind: nobody gets the same answer twice. */
  private readonly seen = new Map<string, Map<string, Read<Answer>>>();
  /** The read budget of the wait since the last change; none before the first. */
  private pace?: PollPace;

  constructor(
    private readonly ecs: ECSClient,
    private readonly now: () => number,
  ) {}

  send(command: unknown, options?: { abortSignal?: AbortSignal }): Promise<unknown> {
    if (command instanceof DescribeServicesCommand && !command.input.include) {
      const { cluster = 'default', services = [] } = command.input;
      return this.shared(`services ${cluster}`, services, (items) => this.readServices(cluster, items), options?.abortSignal).then((answer) => ({
        $metadata: answer.$metadata,
        services: answer.items,
        failures: answer.failures,
      }));
    }
    if (command instanceof DescribeServiceDeploymentsCommand) {
      const arns = command.input.serviceDeploymentArns ?? [];
      return this.shared('records', arns, (items) => this.readRecords(items), options?.abortSignal).then((answer) => ({
        $metadata: answer.$metadata,
        serviceDeployments: answer.items,
        failures: answer.failures,
      }));
    }
    if (command instanceof DescribeClustersCommand && !command.input.include) {
      const clusters = command.input.clusters ?? ['default'];
      return this.shared('clusters', clusters, (items) => this.readClusters(items), options?.abortSignal).then((answer) => ({
        $metadata: answer.$metadata,
        clusters: answer.items,
        failures: answer.failures,
      }));
    }
    if (command instanceof UpdateServiceCommand || command instanceof StopServiceDeploymentCommand) {
      // What follows a change is a wait: the watchers' reads share one wait's budget from here.
      this.reads.clear();
      this.pending.clear();
      // Started a little in the past: the quick reads right after a change come out of that headroom.
      this.pace = new PollPace(this.now() - PACE.quickAfterChangeMs);
    }
    return this.ecs.send(command as UpdateServiceCommand, options);
  }

  /**
   * The answer for `wanted`: the last read of `kind` when it covers them and is new to every one of them;
   * otherwise a new read of every item known, when the shared budget allows it, which the others join.
   */
  private async shared(kind: string, wanted: string[], readAll: (items: string[]) => Promise<Answer>, signal?: AbortSignal): Promise<Answer> {
    const known = this.known.get(kind) ?? new Set<string>();
    this.known.set(kind, known);
    for (const item of wanted) known.add(item);
    const seen = this.seen.get(kind) ?? new Map<string, Read<Answer>>();
    this.seen.set(kind, seen);
    const usable = (read: Read<Answer> | undefined): read is Read<Answer> =>
      read !== undefined && wanted.every((item) => read.items.has(item) && seen.get(item) !== read) && this.now() - read.startedAt < MAX_AGE_MS;
    const last = this.reads.get(kind);
    const read = usable(last) ? last : this.nextRead(kind, known, readAll);
    for (const item of wanted) seen.set(item, read);
    const answer = await abortable(read.answer, signal);
    const mine = (identifier: string | undefined) => identifier !== undefined && wanted.some((item) => item === identifier || item.endsWith(`/${identifier}`) || identifier.endsWith(`/${item}`));
    return {
      $metadata: answer.$metadata,
      items: answer.items.filter((item) => mine(identifierOf(item))),
      failures: answer.failures.filter((failure) => mine(failure.arn)),
    };
  }

  /**
   * The read every caller that needs one joins until it starts: on the next turn of the event loop (so
   * that watchers asking together read together), or later when the budget of the wait says so.
   */
  private nextRead(kind: string, known: Set<string>, readAll: (items: string[]) => Promise<Answer>): Read<Answer> {
    const pending = this.pending.get(kind);
    if (pending) {
      for (const item of known) pending.items.add(item);
      return pending;
    }
    const at = this.now();
    const startsAt = this.pace ? this.pace.budgetAllowsAt(at) : at;
    this.pace?.recordRead(startsAt);
    const read: Read<Answer> = { startedAt: startsAt, items: new Set(known), answer: Promise.resolve(undefined as unknown as Answer) };
    read.answer = sleep(Math.max(0, startsAt - at)).then(() => {
      if (this.pending.get(kind) === read) this.pending.delete(kind);
      this.reads.set(kind, read);
      return readAll([...read.items]);
    });
    // A failed read is not reused: the next caller reads again.
    read.answer.catch(() => this.reads.get(kind) === read && this.reads.delete(kind));
    this.pending.set(kind, read);
    return read;
  }

  private async readServices(cluster: string, services: string[]): Promise<Answer> {
    const answers = await Promise.all(chunks(services, SERVICES_PER_READ).map((chunk) => this.ecs.send(new DescribeServicesCommand({ cluster, services: chunk }))));
    return merged(answers.map((a) => ({ $metadata: a.$metadata, items: a.services ?? [], failures: a.failures ?? [] })));
  }

  private async readClusters(clusters: string[]): Promise<Answer> {
    const answers = await Promise.all(chunks(clusters, CLUSTERS_PER_READ).map((chunk) => this.ecs.send(new DescribeClustersCommand({ clusters: chunk }))));
    return merged(answers.map((a) => ({ $metadata: a.$metadata, items: a.clusters ?? [], failures: a.failures ?? [] })));
  }

  private async readRecords(arns: string[]): Promise<Answer> {
    const answers: DescribeServiceDeploymentsCommandOutput[] = await Promise.all(
      chunks(arns, RECORDS_PER_READ).map((chunk) => this.ecs.send(new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: chunk }))),
    );
    return merged(answers.map((a) => ({ $metadata: a.$metadata, items: a.serviceDeployments ?? [], failures: a.failures ?? [] })));
  }
}

function identifierOf(item: object): string | undefined {
  const { serviceArn, serviceName, serviceDeploymentArn, clusterArn, clusterName } = item as Record<string, string | undefined>;
  return serviceDeploymentArn ?? serviceArn ?? serviceName ?? clusterArn ?? clusterName;
}

function merged(answers: Answer[]): Answer {
  return { $metadata: answers[0]?.$metadata ?? {}, items: answers.flatMap((a) => a.items), failures: answers.flatMap((a) => a.failures) };
}

function chunks<T>(items: T[], size: number): T[][] {
  return Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size));
}

/** The shared answer, or this caller's abort: the read goes on for the others. */
function abortable<T>(answer: Promise<T>, signal?: AbortSignal): Promise<T> {
  if (!signal) return answer;
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    answer.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
