// Several services followed at once read ECS together, in turns: one DescribeServices reads up to 10 of
// them, one DescribeServiceDeployments up to 20 records, and every call comes out of one read budget, the
// one a single service's wait has; a record is read only when its service moved or its stage needs it.
import {
  DescribeClustersCommand,
  DescribeServiceDeploymentsCommand,
  DescribeServicesCommand,
  StopServiceDeploymentCommand,
  UpdateServiceCommand,
  type DescribeServiceDeploymentsCommandOutput,
  type ECSClient,
  type Service,
  type ServiceDeployment,
} from '@aws-sdk/client-ecs';
import { PACE, PollPace } from './poll';
import { ReadTurns, type Answer, type TakeSlot } from './read-turns';
import { RecordReads } from './record-reads';

const SERVICES_PER_READ = 10;
const RECORDS_PER_READ = 20;
const CLUSTERS_PER_READ = 100;
/** How long the record of a service that moved (without ending, without a failed task) is not read again. */
const MOVED_RECORD_MS = 15_000;
/** An answer older than this is not handed out again, even to a caller it is new to. */
const MAX_AGE_MS = PACE.lateMs;
/**
 * With turns, the reads they left unspent in the first two minutes that may be spent after them, on the
 * sweeps when services move and end (a few sweeps of fifty services): the average over the wait stays one service's.
 */
const TURNS_CARRIED_READS = 20;

/**
 * The client, with its reads of services, service deployments and clusters shared. An answer is reused
 * while it is fresh and new to its caller; otherwise the caller waits for the next turn that reads its
 * item, within the one read budget all the watchers share. Any UpdateService or StopServiceDeployment
 * through it makes the next read fresh.
 */
export function sharedReads(ecs: ECSClient, now: () => number = Date.now): ECSClient {
  const shared = new SharedReads(ecs, now);
  const send = (command: unknown, options?: { abortSignal?: AbortSignal }) => shared.send(command, options);
  return new Proxy(ecs, { get: (target, property, receiver) => (property === 'send' ? send : Reflect.get(target, property, receiver)) });
}

class SharedReads {
  private readonly services = new Map<string, ReadTurns>();
  private readonly records: ReadTurns;
  private readonly clusters: ReadTurns;
  private readonly recordReads = new RecordReads();
  /** The read budget of the wait since the last change; none before the first. */
  private pace?: PollPace;
  /** When the last turn was to start, and when a read last saw a service move. */
  private lastSlot = -Infinity;
  private lastMoveAt = -Infinity;

  constructor(
    private readonly ecs: ECSClient,
    private readonly now: () => number,
  ) {
    const slot: TakeSlot = (options) => this.slot(options);
    this.records = new ReadTurns(RECORDS_PER_READ, (arns) => this.readRecords(arns), slot, now, MAX_AGE_MS);
    this.clusters = new ReadTurns(CLUSTERS_PER_READ, (names) => this.readClusters(names), slot, now, MAX_AGE_MS);
  }

  send(command: unknown, options?: { abortSignal?: AbortSignal }): Promise<unknown> {
    const signal = options?.abortSignal;
    if (command instanceof DescribeServicesCommand && !command.input.include) {
      const { cluster = 'default', services = [] } = command.input;
      const urgent = services.some((service) => this.recordReads.mustReadServiceNow(service));
      return this.servicesOf(cluster)
        .answer(services, { urgent, signal })
        .then((answer) => ({ $metadata: answer.$metadata, services: answer.items, failures: answer.failures }));
    }
    if (command instanceof DescribeServiceDeploymentsCommand) {
      return this.describeRecords(command.input.serviceDeploymentArns ?? [], signal);
    }
    if (command instanceof DescribeClustersCommand && !command.input.include) {
      return this.clusters
        .answer(command.input.clusters ?? ['default'], { signal })
        .then((answer) => ({ $metadata: answer.$metadata, clusters: answer.items, failures: answer.failures }));
    }
    if (command instanceof UpdateServiceCommand || command instanceof StopServiceDeploymentCommand) {
      // What follows a change is a wait: the watchers' reads share one wait's budget from here.
      for (const turns of [...this.services.values(), this.records, this.clusters]) turns.forgetReads();
      this.recordReads.forgetRecords();
      // Started a little in the past: the quick reads right after a change come out of that headroom.
      this.pace = new PollPace(this.now() - PACE.quickAfterChangeMs);
    }
    return this.ecs.send(command as UpdateServiceCommand, options);
  }

  /** Records whose services have not moved since they were read are answered as last read; the others are read, at once when their service's rollout ended or a task failed. */
  private async describeRecords(arns: string[], signal?: AbortSignal): Promise<DescribeServiceDeploymentsCommandOutput> {
    // A record whose service moved without ending or failing waits a while: the reads go to DescribeServices, where ends show first.
    const unchanged = arns.map((arn) => this.recordReads.unchanged(arn, this.now(), MOVED_RECORD_MS));
    const toRead = arns.filter((_, i) => !unchanged[i]);
    const urgent = toRead.some((arn) => this.recordReads.mustReadNow(arn));
    const read: Answer = toRead.length ? await this.records.answer(toRead, { urgent, signal }) : { items: [], failures: [], $metadata: {} };
    const byArn = new Map((read.items as ServiceDeployment[]).map((record) => [record.serviceDeploymentArn, record]));
    const serviceDeployments = arns.flatMap((arn, i) => unchanged[i] ?? byArn.get(arn) ?? []);
    return { $metadata: read.$metadata, serviceDeployments, failures: read.failures };
  }

  private servicesOf(cluster: string): ReadTurns {
    let turns = this.services.get(cluster);
    if (!turns) {
      turns = new ReadTurns(SERVICES_PER_READ, (services) => this.readServices(cluster, services), (options) => this.slot(options), this.now, MAX_AGE_MS);
      this.services.set(cluster, turns);
    }
    return turns;
  }

  /**
   * When the next call may start, within the shared budget. With more items than one call takes, the
   * turns come at the turn pace while nothing moves (slower than the budget in the first two minutes: the
   * reads saved pay for the sweeps when services move, and for a run's one-off reads of each service), and
   * as fast as the budget allows after a move; an urgent call (an end to confirm: the record of a service
   * whose rollout ended, or the service whose record ended) starts at once and is counted all the same.
   */
  private slot({ spaced, urgent }: { spaced: boolean; urgent: boolean }): { startsAt: number; earliest: number } {
    const at = this.now();
    if (!this.pace) return { startsAt: at, earliest: at };
    const earliest = urgent ? at : this.pace.budgetAllowsAt(at, spaced ? TURNS_CARRIED_READS : undefined);
    const startsAt = spaced && !urgent && at - this.lastMoveAt >= PACE.quickAfterChangeMs ? Math.max(earliest, this.lastSlot + PACE.turnMs) : earliest;
    this.lastSlot = Math.max(this.lastSlot, startsAt);
    this.pace.recordRead(startsAt);
    return { startsAt, earliest };
  }

  private async readServices(cluster: string, services: string[]): Promise<Answer> {
    const answer = await this.ecs.send(new DescribeServicesCommand({ cluster, services }));
    const readAt = this.now();
    const moved = (answer.services ?? []).filter((service) => this.recordReads.noteService(service as Service, readAt));
    if (moved.length > 0) {
      this.lastMoveAt = readAt;
      for (const turns of this.services.values()) turns.hurry(PACE.quickMs);
    }
    return { $metadata: answer.$metadata, items: answer.services ?? [], failures: answer.failures ?? [] };
  }

  private async readClusters(clusters: string[]): Promise<Answer> {
    const answer = await this.ecs.send(new DescribeClustersCommand({ clusters }));
    return { $metadata: answer.$metadata, items: answer.clusters ?? [], failures: answer.failures ?? [] };
  }

  private async readRecords(arns: string[]): Promise<Answer> {
    const versions = this.recordReads.versionsAt(arns);
    const answer = await this.ecs.send(new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: arns }));
    const readAt = this.now();
    for (const record of answer.serviceDeployments ?? []) this.recordReads.noteRecord(record, versions.get(record.serviceDeploymentArn ?? ''), readAt);
    return { $metadata: answer.$metadata, items: answer.serviceDeployments ?? [], failures: answer.failures ?? [] };
  }
}
