/** Calls `onTick` every `intervalMs` until stopped; a failing tick is reported, never fatal. */
export class Ticker {
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly intervalMs: number,
    private readonly onTick: (now: number) => void,
  ) {}

  start(): void {
    this.timer = setInterval(() => {
      try {
        this.onTick(Date.now());
      } catch (error) {
        console.error('ecs-ship simulator: tick failed', error);
      }
    }, this.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }
}
