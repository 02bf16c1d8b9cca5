import { alarmStates } from '../../aws/alarms';
import { awsSaid } from '../../aws/failed-call';
import { poll } from '../../aws/poll';
import { inputName } from '../../inputs/spelling';
import type { Target } from '../../plan/preflight';
import type { RolloutDeps } from './rollout-request';
import { TIME_SCALE_VARIABLE, timeScale } from './time-scale';

export interface BakeRequest {
  deploymentId: string;
  durationMs: number;
}

export type Baked = { ok: true } | { ok: false; reason: string };

/**
 * After ECS calls the deployment done, keeps watching it for a while: a task of it that stops abnormally
 * (as ECS or ecs-ship counts it) or a deployment alarm of the service in ALARM ends the bake as a failure.
 */
export async function bakeNewRevision(target: Target, request: BakeRequest, deps: RolloutDeps): Promise<Baked> {
  const { watcher, reporter } = deps;
  const minutes = request.durationMs / 60_000;
  const alarms = deploymentAlarms(target);
  let failedAtStart: number | undefined;
  let alarmsReadable = alarms.length > 0;
  const scale = timeScale();
  const realMs = request.durationMs / scale.factor;
  if (scale.ignored) reporter.warn(`${scale.ignored}: the bake lasts ${minutes} real minutes.`);
  const scaled = scale.factor === 1 ? '' : `, ${seconds(realMs)} of real time (${TIME_SCALE_VARIABLE}=${scale.factor}: the AWS endpoint runs ECS's time that much faster)`;
  reporter.info(`Baking deployment ${request.deploymentId} for ${minutes} minutes (${inputName('bake-minutes')})${scaled}: watching its tasks${alarms.length ? ` and the alarms ${alarms.join(', ')}` : ''}.`);
  const failure = await poll<Baked>({
    timeoutMs: realMs,
    signal: deps.signal,
    warn: (message) => reporter.warn(message),
    heartbeat: { waitingFor: `the bake of deployment ${request.deploymentId}`, say: (line) => reporter.info(line), lastsItsTime: true },
    check: async () => {
      const service = await watcher.describe();
      const ours = service.deployments?.find((d) => d.id === request.deploymentId);
      if (!ours || ours.status !== 'PRIMARY') {
        reporter.warn(`Deployment ${request.deploymentId} was replaced during the bake (the service now runs ${service.taskDefinition}); the bake ends.`);
        return { ok: true };
      }
      const failed = await watcher.failedTasksOf(ours);
      failedAtStart ??= failed;
      if (failed > failedAtStart) return { ok: false, reason: `${failed - failedAtStart} task(s) of deployment ${request.deploymentId} stopped abnormally during the ${minutes}-minute bake` };
      if (!alarmsReadable) return undefined;
      try {
        const firing = (await alarmStates(await deps.cloudWatch(), alarms)).filter((alarm) => alarm.state === 'ALARM');
        if (firing.length) return { ok: false, reason: `${firing.map((a) => `alarm ${a.name} is in ALARM${a.reason ? ` (${a.reason.replace(/\.+$/, '')})` : ''}`).join('; ')} during the ${minutes}-minute bake` };
      } catch (error) {
        alarmsReadable = false;
        reporter.warn(`The alarms ${alarms.join(', ')} cannot be read (${awsSaid(error)}); the bake watches the tasks only.`);
      }
      return undefined;
    },
  });
  if (failure) return failure;
  reporter.info(`Bake of deployment ${request.deploymentId} passed: no task stopped abnormally${alarms.length && alarmsReadable ? ' and no alarm went into ALARM' : ''} in ${minutes} minutes.`);
  return { ok: true };
}

const seconds = (ms: number) => `${Math.round(ms / 100) / 10} s`;

/** The service's deployment alarms, when it has them turned on. */
function deploymentAlarms(target: Target): string[] {
  const alarms = target.service.deploymentConfiguration?.alarms;
  return alarms?.enable === false ? [] : (alarms?.alarmNames ?? []);
}
