import type { Deployment, Service } from '@aws-sdk/client-ecs';
import { judgeDeployment } from '../../src/execute/deployment/deployment-status';

const since = new Date('2026-11-23T10:00:00Z');
const later = new Date('2026-11-23T10:05:00Z');
const options = { maxTaskFailures: 3, since };
const ours: Deployment = { id: 'ecs-svc/1', status: 'PRIMARY', taskDefinition: 'web:2', desiredCount: 2, runningCount: 1, pendingCount: 1, failedTasks: 0, rolloutState: 'IN_PROGRESS', createdAt: since };
const old: Deployment = { id: 'ecs-svc/0', status: 'ACTIVE', taskDefinition: 'web:1', desiredCount: 2, runningCount: 2, pendingCount: 0, rolloutState: 'COMPLETED', createdAt: new Date(0) };
const service = (...deployments: Deployment[]): Service => ({ deployments });

describe('judgeDeployment', () => {
  test('waits while the deployment is in progress', () => {
    expect(judgeDeployment(service(ours, old), ours.id!, options)).toEqual({ done: false });
  });

  test('succeeds when its rolloutState is COMPLETED', () => {
    expect(judgeDeployment(service({ ...ours, rolloutState: 'COMPLETED' }), ours.id!, options)).toEqual({ done: true, ok: true });
  });

  test('fails with what ECS said when FAILED, and sees the circuit breaker rollback deployment', () => {
    const rollback: Deployment = { ...old, id: 'ecs-svc/2', status: 'PRIMARY', rolloutState: 'IN_PROGRESS', createdAt: later };
    const failed = { ...ours, status: 'ACTIVE', rolloutState: 'FAILED' as const, rolloutStateReason: 'ECS deployment circuit breaker: tasks failed to start.' };
    const verdict = judgeDeployment(service(rollback, failed), ours.id!, options);
    expect(verdict).toMatchObject({ done: true, ok: false, reason: expect.stringContaining('tasks failed to start'), circuitBreakerRollback: rollback });
  });

  test('a newer PRIMARY from another UpdateService supersedes ours, listed or gone, and is no circuit breaker rollback', () => {
    const theirs: Deployment = { ...old, id: 'ecs-svc/3', status: 'PRIMARY', taskDefinition: 'web:3', rolloutState: 'IN_PROGRESS', createdAt: later };
    for (const deployments of [[theirs, { ...ours, status: 'ACTIVE' }], [theirs]]) {
      const verdict = judgeDeployment(service(...deployments), ours.id!, options);
      expect(verdict).toMatchObject({ done: true, ok: false, supersededBy: theirs, reason: expect.stringContaining('superseded by deployment ecs-svc/3 on web:3') });
      expect(verdict).not.toHaveProperty('circuitBreakerRollback');
    }
    const breaker = { ...theirs, rolloutStateReason: 'ECS deployment circuit breaker: rolling back to deploymentId ecs-svc/0.' };
    expect(judgeDeployment(service(breaker), ours.id!, options)).toMatchObject({ circuitBreakerRollback: breaker });
    // A breaker rollback that already completed no longer says so: it is known by going back to the previous revision.
    const completedRollback = { ...theirs, taskDefinition: 'web:1', rolloutState: 'COMPLETED' as const, rolloutStateReason: 'ECS deployment ecs-svc/3 completed.' };
    const withBreaker: Service = { deployments: [completedRollback], deploymentConfiguration: { deploymentCircuitBreaker: { enable: true, rollback: true } } };
    expect(judgeDeployment(withBreaker, ours.id!, { ...options, previousTaskDefinition: 'web:1' })).toMatchObject({ circuitBreakerRollback: completedRollback });
    expect(judgeDeployment(withBreaker, ours.id!, { ...options, previousTaskDefinition: 'web:0' })).toMatchObject({ supersededBy: completedRollback });
    expect(judgeDeployment(service(theirs, { ...ours, status: 'ACTIVE', rolloutState: 'COMPLETED' }), ours.id!, options)).toEqual({ done: true, ok: true });
  });

  test('a vanished deployment is a failure, never a success', () => {
    const verdict = judgeDeployment(service({ ...old, status: 'PRIMARY' }), ours.id!, options);
    expect(verdict).toMatchObject({ done: true, ok: false, reason: expect.stringContaining('no longer on the service') });
  });

  test('fails fast once max-task-failures tasks failed, even without a circuit breaker', () => {
    expect(judgeDeployment(service({ ...ours, failedTasks: 3 }, old), ours.id!, options)).toMatchObject({ done: true, ok: false });
    expect(judgeDeployment(service({ ...ours, failedTasks: 2 }, old), ours.id!, options)).toEqual({ done: false });
  });

  test('failures at the limit win over COMPLETED seen in the same read', () => {
    const verdict = judgeDeployment(service({ ...ours, rolloutState: 'COMPLETED', failedTasks: 3 }), ours.id!, options);
    expect(verdict).toMatchObject({ done: true, ok: false, reason: '3 tasks of deployment ecs-svc/1 failed (limit 3)' });
  });

  test('without rolloutState: done when it is the only deployment and running equals desired', () => {
    const plain = { ...ours, rolloutState: undefined };
    expect(judgeDeployment(service(plain, { ...old, rolloutState: undefined }), ours.id!, options)).toEqual({ done: false });
    expect(judgeDeployment(service({ ...plain, runningCount: 2, pendingCount: 0 }), ours.id!, options)).toEqual({ done: true, ok: true });
  });
});
