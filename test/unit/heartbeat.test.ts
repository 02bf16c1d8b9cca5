import { duration, Heartbeat } from '../../src/aws/heartbeat';

describe('Heartbeat', () => {
  test('says nothing before 30 s, then what the wait is for, elapsed and remaining before the timeout, every 30 s', () => {
    const lines: string[] = [];
    const beats = new Heartbeat({ waitingFor: 'deployment ecs-svc/1 to finish', say: (line) => lines.push(line) }, 1_000, 20 * 60_000);

    beats.beat(30_999);
    expect(lines).toEqual([]);
    expect(beats.dueIn(30_999)).toBe(1);
    beats.beat(31_000);
    beats.beat(45_000);
    beats.beat(61_000);
    expect(lines).toEqual([
      'Waiting for deployment ecs-svc/1 to finish: 30 s elapsed, 19 min 30 s remaining before the timeout.',
      'Waiting for deployment ecs-svc/1 to finish: 1 min elapsed, 19 min remaining before the timeout.',
    ]);
    expect(beats.dueIn(61_000)).toBe(30_000);
  });

  test('a wait that lasts its time (a bake) says what remains of it; a wait that learns what it waits for says what it learnt', () => {
    const lines: string[] = [];
    let other = '';
    new Heartbeat({ waitingFor: 'the bake of deployment ecs-svc/1', say: (line) => lines.push(line), lastsItsTime: true }, 0, 5 * 60_000).beat(150_000);
    const waiting = new Heartbeat({ waitingFor: () => `another deployment${other} to finish`, say: (line) => lines.push(line) }, 0, 60_000);
    other = ' (ecs-svc/2)';
    waiting.beat(30_000);
    expect(lines).toEqual([
      'Waiting for the bake of deployment ecs-svc/1: 2 min 30 s elapsed, 2 min 30 s remaining.',
      'Waiting for another deployment (ecs-svc/2) to finish: 30 s elapsed, 30 s remaining before the timeout.',
    ]);
  });

  test('durations read as seconds, minutes and hours', () => {
    expect([0, 45_000, 60_000, 270_400, 3_600_000, 7_500_000].map(duration)).toEqual(['0 s', '45 s', '1 min', '4 min 30 s', '1 h', '2 h 5 min']);
  });
});
