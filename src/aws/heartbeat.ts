/** At least this often a wait says what it waits for and how long it has waited. */
export const HEARTBEAT_MS = 30_000;

export interface HeartbeatSpec {
  /** What the wait is for: "deployment ecs-svc/123 to finish" (a function when the wait learns it as it goes). */
  waitingFor: string | (() => string);
  say: (line: string) => void;
  /** The wait lasts its whole time (a bake), rather than ending early at best and failing at its timeout. */
  lastsItsTime?: boolean;
}

/** The line of a long wait, due `intervalMs` after the wait started or after its last line. */
export class Heartbeat {
  private lastAt: number;

  constructor(
    private readonly spec: HeartbeatSpec,
    private readonly startedAt: number,
    private readonly timeoutMs: number,
    private readonly intervalMs = HEARTBEAT_MS,
  ) {
    this.lastAt = startedAt;
  }

  /** How long from `now` until the next line is due. */
  dueIn(now: number): number {
    return Math.max(0, this.lastAt + this.intervalMs - now);
  }

  /** Says where the wait stands, when a line is due at `now`. */
  beat(now: number): void {
    if (this.dueIn(now) > 0) return;
    this.lastAt = now;
    const elapsed = now - this.startedAt;
    const left = duration(Math.max(0, this.timeoutMs - elapsed));
    const what = typeof this.spec.waitingFor === 'function' ? this.spec.waitingFor() : this.spec.waitingFor;
    this.spec.say(`Waiting for ${what}: ${duration(elapsed)} elapsed, ${this.spec.lastsItsTime ? `${left} remaining` : `${left} remaining before the timeout`}.`);
  }
}

/** `45 s`, `4 min 30 s`, `2 h 5 min`. */
export function duration(ms: number): string {
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return seconds % 60 ? `${minutes} min ${seconds % 60} s` : `${minutes} min`;
  return minutes % 60 ? `${Math.floor(minutes / 60)} h ${minutes % 60} min` : `${Math.floor(minutes / 60)} h`;
}
