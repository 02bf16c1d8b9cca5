import type { ServiceDeployment } from '@aws-sdk/client-ecs';
import { judgeRecord, rollbackCause } from '../../src/execute/deployment/service-deployment-status';
import { StageProgress } from '../../src/execute/deployment/stage-progress';
import { bakedMinutes } from '../../src/plan/strategy';

const base: ServiceDeployment = { serviceDeploymentArn: 'arn:aws:ecs:us-east-1:1:service-deployment/prod/web/abc', status: 'IN_PROGRESS' };

describe("judging ECS's record of a deployment", () => {
  test('PENDING and IN_PROGRESS keep waiting; SUCCESSFUL succeeds', () => {
    expect(judgeRecord({ ...base, status: 'PENDING' }, 'ecs-svc/1')).toEqual({ done: false });
    expect(judgeRecord(base, 'ecs-svc/1')).toEqual({ done: false });
    expect(judgeRecord({ ...base, status: 'SUCCESSFUL' }, 'ecs-svc/1')).toEqual({ done: true, ok: true });
  });

  test('every ROLLBACK_* and STOPPED outcome fails, saying why: the reason, the breaker counts, the alarms', () => {
    const record: ServiceDeployment = {
      ...base,
      status: 'ROLLBACK_IN_PROGRESS',
      statusReason: 'Service deployment rolled back because of alarm api-5xx.',
      alarms: { status: 'TRIGGERED', alarmNames: ['api-5xx', 'latency'], triggeredAlarmNames: ['api-5xx'] },
      deploymentCircuitBreaker: { status: 'MONITORING', failureCount: 1, threshold: 3 },
    };
    const verdict = judgeRecord(record, 'ecs-svc/1');
    expect(verdict).toEqual({
      done: true,
      ok: false,
      ecsRollingBack: true,
      rollbackEnded: false,
      reason: "ECS's record of deployment ecs-svc/1 says ROLLBACK_IN_PROGRESS: Service deployment rolled back because of alarm api-5xx; alarm api-5xx in ALARM",
    });
    expect(rollbackCause(record)).toBe('the alarm api-5xx');
    const breaker = { ...base, status: 'ROLLBACK_SUCCESSFUL' as const, deploymentCircuitBreaker: { status: 'TRIGGERED' as const, failureCount: 3, threshold: 3 } };
    expect(judgeRecord(breaker, 'ecs-svc/1')).toMatchObject({ ecsRollingBack: true, rollbackEnded: true, reason: expect.stringContaining('circuit breaker triggered: 3 failed tasks (threshold 3)') });
    expect(rollbackCause(breaker)).toBe('the circuit breaker');
    for (const status of ['STOPPED', 'STOP_REQUESTED'] as const) expect(judgeRecord({ ...base, status }, 'ecs-svc/1')).toMatchObject({ done: true, ok: false, ecsRollingBack: false });
    expect(judgeRecord({ ...base, status: 'ROLLBACK_FAILED' }, 'ecs-svc/1')).toMatchObject({ ecsRollingBack: true, rollbackEnded: true });
  });
});

describe('progress lines from the record', () => {
  const at = (stage: string, extra: Partial<ServiceDeployment> = {}): ServiceDeployment => ({ ...base, lifecycleStage: stage as ServiceDeployment['lifecycleStage'], ...extra });

  test('one line per change of stage, traffic or bake time; the same read again prints nothing', () => {
    const progress = new StageProgress();
    expect(progress.lines(at('SCALE_UP'), 0)).toEqual(['status IN_PROGRESS, stage SCALE_UP']);
    expect(progress.lines(at('SCALE_UP'), 1000)).toEqual([]);
    const shifting = at('PRODUCTION_TRAFFIC_SHIFT', { targetServiceRevision: { requestedProductionTrafficWeight: 30, requestedTestTrafficWeight: 100 } });
    expect(progress.lines(shifting, 2000)).toEqual(['status IN_PROGRESS, stage PRODUCTION_TRAFFIC_SHIFT; production traffic 30% on the new revision']);
    const baking = at('BAKE_TIME', { deploymentConfiguration: { bakeTimeInMinutes: 45 } });
    expect(progress.lines(baking, 10_000)).toEqual(['status IN_PROGRESS, stage BAKE_TIME; bake time: about 45 minutes left']);
    expect(progress.lines(baking, 10_000 + 60_000)).toEqual([]);
    expect(progress.lines(baking, 10_000 + 6 * 60_000)).toEqual(['status IN_PROGRESS, stage BAKE_TIME; bake time: about 40 minutes left']);
    expect(progress.bakeLeftMs(baking, 10_000 + 6 * 60_000)).toBe(39 * 60_000);
    expect(progress.bakeLeftMs(at('CLEAN_UP'), 0)).toBe(0);
    expect(progress.bakeLeftMs(at('POST_PRODUCTION_TRAFFIC_SHIFT', { deploymentConfiguration: { bakeTimeInMinutes: 5 } }), 0)).toBe(5 * 60_000);
    expect(progress.bakeLeftMs(at('TEST_TRAFFIC_SHIFT'), 0)).toBeUndefined();
  });

  test('a lifecycle hook the deployment waits for is reported once, a pause with how to continue it', () => {
    const progress = new StageProgress();
    const paused = at('POST_TEST_TRAFFIC_SHIFT', { lifecycleHookDetails: [{ hookId: 'h-1', targetType: 'PAUSE', status: 'AWAITING_ACTION', timeoutAction: 'ROLLBACK', expiresAt: new Date('2026-12-03T14:00:00Z') }] });
    const lines = progress.lines(paused, 0);
    expect(lines[1]).toBe('paused by lifecycle hook h-1: ECS waits for ContinueServiceDeployment (CONTINUE or ROLLBACK) with hook ID h-1; it times out at 14:00:00 UTC, then ECS will ROLLBACK');
    expect(progress.lines(paused, 1)).toEqual([]);
  });
});

describe('how long ECS bakes a deployment', () => {
  test('bake time, plus the linear steps or the canary bake', () => {
    expect(bakedMinutes(undefined)).toBe(0);
    expect(bakedMinutes({ strategy: 'BLUE_GREEN', bakeTimeInMinutes: 45 })).toBe(45);
    expect(bakedMinutes({ strategy: 'LINEAR', bakeTimeInMinutes: 5, linearConfiguration: { stepPercent: 25, stepBakeTimeInMinutes: 2 } })).toBe(5 + 3 * 2);
    expect(bakedMinutes({ strategy: 'CANARY', bakeTimeInMinutes: 5, canaryConfiguration: { canaryPercent: 10, canaryBakeTimeInMinutes: 15 } })).toBe(20);
  });
});
