// Reads of one kind (the services of a cluster, deployment records) taken in turns: a read is one call of
// at most `size` items, so that following fifty services costs what following one does, in calls a minute.
import type { DescribeServicesCommandOutput, Failure } from '@aws-sdk/client-ecs';

export type Answer = { items: object[]; failures: Failure[]; $metadata: DescribeServicesCommandOutput['$metadata'] };

/** One call: when it starts (and the earliest the budget allows), what it reads, its answer. */
interface Turn {
  startsAt: number;
  earliest: number;
  items: Set<string>;
  answer: Promise<Answer>;
  timer?: ReturnType<typeof setTimeout>;
  begin: () => void;
}

/** When the next turn is to start, and the earliest the budget allows; taking it spends it. `spaced`: there are more items than one call takes. */
export type TakeSlot = (options: { spaced: boolean; urgent: boolean }) => { startsAt: number; earliest: number };

export class ReadTurns {
  /** Every item asked for, and when a read of it last started. */
  private readonly known = new Map<string, number>();
  /** The newest read of each item that has started. */
  private readonly latest = new Map<string, Turn>();
  /** Reads not started yet, in the order they start. */
  private queued: Turn[] = [];
  /** The read each item's caller last got: nobody gets the same answer twice. */
  private readonly seen = new Map<string, Turn>();

  constructor(
    private readonly size: number,
    private readonly readAll: (items: string[]) => Promise<Answer>,
    private readonly takeSlot: TakeSlot,
    private readonly now: () => number,
    /** An answer older than this is not handed out again, even to a caller it is new to. */
    private readonly maxAgeMs: number,
  ) {}

  /**
   * The answer for `wanted`: for each item, the newest read of it when that is new to its caller and
   * fresh; otherwise the next turn that reads it. `urgent`: a turn that starts at once, within the budget or not.
   */
  async answer(wanted: string[], options: { urgent?: boolean; signal?: AbortSignal } = {}): Promise<Answer> {
    const turns = new Set<Turn>();
    for (const item of wanted) {
      if (!this.known.has(item)) this.known.set(item, -Infinity);
      const latest = this.latest.get(item);
      const turn = latest && this.seen.get(item) !== latest && this.now() - latest.startsAt < this.maxAgeMs ? latest : this.turnFor(item, options.urgent ?? false);
      this.seen.set(item, turn);
      turns.add(turn);
    }
    const answers = await Promise.all([...turns].map((turn) => abortable(turn.answer, options.signal)));
    const mine = (identifier: string | undefined) => identifier !== undefined && wanted.some((item) => item === identifier || item.endsWith(`/${identifier}`) || identifier.endsWith(`/${item}`));
    return {
      $metadata: answers[0]?.$metadata ?? {},
      items: unique(answers.flatMap((answer) => answer.items)).filter((item) => mine(identifierOf(item))),
      failures: unique(answers.flatMap((answer) => answer.failures)).filter((failure) => mine(failure.arn)),
    };
  }

  /**
   * Something moved: the turns queued start as early as the budget allows, and every item not read in the
   * last `freshMs` gets a turn too, so that the others' news (often the same) comes a sweep sooner.
   */
  hurry(freshMs: number): void {
    const now = this.now();
    for (const turn of this.queued) {
      if (turn.earliest >= turn.startsAt) continue;
      clearTimeout(turn.timer);
      turn.startsAt = turn.earliest;
      turn.timer = setTimeout(turn.begin, Math.max(0, turn.earliest - now));
    }
    const queued = new Set(this.queued.flatMap((turn) => [...turn.items]));
    for (const [item, readAt] of this.known) if (!queued.has(item) && now - readAt >= freshMs) this.turnFor(item, false);
  }

  /** After a change: no read started before it is handed out again. */
  forgetReads(): void {
    this.latest.clear();
    this.queued = [];
  }

  /** The queued turn that reads `item`, one with room for it, or a new one. */
  private turnFor(item: string, urgent: boolean): Turn {
    const now = this.now();
    const fits = (turn: Turn) => turn.items.size < this.size && (!urgent || turn.startsAt <= now);
    const turn = this.queued.find((queued) => queued.items.has(item)) ?? this.queued.find(fits) ?? this.newTurn(urgent);
    turn.items.add(item);
    return turn;
  }

  private newTurn(urgent: boolean): Turn {
    const now = this.now();
    const { startsAt, earliest } = this.takeSlot({ spaced: this.known.size > this.size, urgent });
    let begin = () => {};
    const begun = new Promise<void>((resolve) => (begin = resolve));
    const turn: Turn = { startsAt, earliest, items: new Set(), begin, answer: begun.then(() => this.start(turn)) };
    turn.timer = setTimeout(begin, Math.max(0, startsAt - now));
    // A failed read is not reused: the next caller reads again.
    turn.answer.catch(() => {
      for (const item of turn.items) if (this.latest.get(item) === turn) this.latest.delete(item);
    });
    this.queued.push(turn);
    return turn;
  }

  /** The turn's call: the items asked for, and as many others as fit, those read longest ago first. */
  private start(turn: Turn): Promise<Answer> {
    this.queued = this.queued.filter((queued) => queued !== turn);
    const waiting = new Set(this.queued.flatMap((queued) => [...queued.items]));
    const others = [...this.known].filter(([item]) => !turn.items.has(item) && !waiting.has(item)).sort((a, b) => a[1] - b[1]);
    for (const [item] of others.slice(0, Math.max(0, this.size - turn.items.size))) turn.items.add(item);
    const startedAt = this.now();
    for (const item of turn.items) {
      this.latest.set(item, turn);
      this.known.set(item, startedAt);
    }
    return this.readAll([...turn.items]);
  }
}

function identifierOf(item: object): string | undefined {
  const { serviceArn, serviceName, serviceDeploymentArn, clusterArn, clusterName } = item as Record<string, string | undefined>;
  return serviceDeploymentArn ?? serviceArn ?? serviceName ?? clusterArn ?? clusterName;
}

const unique = <T>(items: T[]) => [...new Set(items)];

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
