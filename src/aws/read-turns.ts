// Reads of one kind (the services of a cluster, deployment records) taken in turns: a read is one call of
// at most `size` items, so that following fifty services costs what following one does, in calls a minute.
import type { DescribeServicesCommandOutput, Failure } from '@aws-sdk/client-ecs';

export type Answer = { items: object[]; failures: Failure[]; $metadata: DescribeServicesCommandOutput['$metadata'] };

/** One call: when it starts (and the earliest the budget allows), what it reads (by key), its answer. */
interface Turn {
  startsAt: number;
  earliest: number;
  keys: Set<string>;
  answer: Promise<Answer>;
  timer?: ReturnType<typeof setTimeout>;
  begin: () => void;
  /** Whether a caller waits for it (else it only sweeps, and does not hold the process up). */
  awaited: boolean;
}

/** When the next turn is to start, and the earliest the budget allows; taking it spends it. `spaced`: there are more items than one call takes. */
export type TakeSlot = (options: { spaced: boolean; urgent: boolean }) => { startsAt: number; earliest: number };

/** An item, however it is named: a service or cluster by its name (its ARN's last part), anything else by its ARN. */
const keyOf = (item: string) => (/^arn:[^:]+:ecs:[^:]*:[^:]*:(service|cluster)\//.test(item) ? item.split('/').at(-1)! : item);

/** A caller that asked within this long is still following its item: turns fill up with such items only. */
const FOLLOWED_MS = 10_000;

export class ReadTurns {
  /** Every item asked for, by key: its name to send, when a read of it last started, when it was last asked for. */
  private readonly known = new Map<string, { item: string; readAt: number; askedAt: number }>();
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
    const now = this.now();
    for (const item of wanted) {
      const key = keyOf(item);
      const known = this.known.get(key);
      this.known.set(key, { item: known && !item.startsWith('arn:') ? known.item : item, readAt: known?.readAt ?? -Infinity, askedAt: now });
      const latest = this.latest.get(key);
      const turn = latest && this.seen.get(key) !== latest && now - latest.startsAt < this.maxAgeMs ? latest : this.turnFor(key, options.urgent ?? false, true);
      this.seen.set(key, turn);
      turns.add(turn);
    }
    const answers = await Promise.all([...turns].map((turn) => abortable(turn.answer, options.signal)));
    const keys = new Set(wanted.map(keyOf));
    const mine = (identifier: string | undefined) => identifier !== undefined && keys.has(keyOf(identifier));
    return {
      $metadata: answers[0]?.$metadata ?? {},
      items: unique(answers.flatMap((answer) => answer.items)).filter((item) => mine(identifierOf(item))),
      failures: unique(answers.flatMap((answer) => answer.failures)).filter((failure) => mine(failure.arn)),
    };
  }

  /**
   * Something moved: the turns queued start as early as the budget allows, and every item still followed
   * and not read in the last `freshMs` gets a turn too, so that the others' news (often the same) comes a sweep sooner.
   */
  hurry(freshMs: number): void {
    const now = this.now();
    for (const turn of this.queued) {
      if (turn.earliest >= turn.startsAt) continue;
      clearTimeout(turn.timer);
      turn.startsAt = turn.earliest;
      this.schedule(turn, now);
    }
    const queued = new Set(this.queued.flatMap((turn) => [...turn.keys]));
    for (const [key, { readAt }] of this.followed(now)) if (!queued.has(key) && now - readAt >= freshMs) this.turnFor(key, false, false);
  }

  /** After a change: no read started before it is handed out again. */
  forgetReads(): void {
    this.latest.clear();
    this.queued = [];
  }

  private followed(now: number) {
    return [...this.known].filter(([, { askedAt }]) => now - askedAt < FOLLOWED_MS);
  }

  /** The queued turn that reads `key`, one with room for it, or a new one; an urgent read takes only a turn that starts now. */
  private turnFor(key: string, urgent: boolean, awaited: boolean): Turn {
    const now = this.now();
    const soonEnough = (turn: Turn) => !urgent || turn.startsAt <= now;
    const fits = (turn: Turn) => turn.keys.size < this.size && soonEnough(turn);
    const turn = this.queued.find((queued) => queued.keys.has(key) && soonEnough(queued)) ?? this.queued.find(fits) ?? this.newTurn(urgent);
    turn.keys.add(key);
    if (awaited && !turn.awaited) {
      turn.awaited = true;
      this.schedule(turn, now);
    }
    return turn;
  }

  private newTurn(urgent: boolean): Turn {
    const now = this.now();
    const { startsAt, earliest } = this.takeSlot({ spaced: this.followed(now).length > this.size, urgent });
    let begin = () => {};
    const begun = new Promise<void>((resolve) => (begin = resolve));
    const turn: Turn = { startsAt, earliest, keys: new Set(), begin, awaited: false, answer: begun.then(() => this.start(turn)) };
    this.schedule(turn, now);
    // A failed read is not reused: the next caller reads again.
    turn.answer.catch(() => {
      for (const key of turn.keys) if (this.latest.get(key) === turn) this.latest.delete(key);
    });
    this.queued.push(turn);
    return turn;
  }

  private schedule(turn: Turn, now: number): void {
    clearTimeout(turn.timer);
    turn.timer = setTimeout(turn.begin, Math.max(0, turn.startsAt - now));
    if (!turn.awaited) turn.timer.unref?.();
  }

  /** The turn's call: the items asked for, and as many others still followed as fit, those read longest ago first. */
  private start(turn: Turn): Promise<Answer> {
    this.queued = this.queued.filter((queued) => queued !== turn);
    const startedAt = this.now();
    const waiting = new Set(this.queued.flatMap((queued) => [...queued.keys]));
    const others = this.followed(startedAt)
      .filter(([key]) => !turn.keys.has(key) && !waiting.has(key))
      .sort((a, b) => a[1].readAt - b[1].readAt);
    for (const [key] of others.slice(0, Math.max(0, this.size - turn.keys.size))) turn.keys.add(key);
    for (const key of turn.keys) {
      this.latest.set(key, turn);
      this.known.get(key)!.readAt = startedAt;
    }
    return this.readAll([...turn.keys].map((key) => this.known.get(key)!.item));
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
