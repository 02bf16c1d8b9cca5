import type { ServiceDeploymentRecord, SimState } from '../state';

// Deployment alarms (ECS developer guide: "How CloudWatch alarms detect Amazon ECS deployment failures"):
// while a service deployment is monitored, one of its alarms in ALARM fails it. A rolling deployment is
// monitored on for a bake time after it reaches steady state, which ECS computes from the alarms' settings.

/** Not documented word for word: the reason ECS gives a deployment failed by its alarms. */
export const alarmFailedReason = (names: string[]) => `ECS deployment failed: CloudWatch alarm(s) in ALARM state: ${names.join(', ')}.`;
export const alarmRollbackReason = (names: string[]) => `CloudWatch alarm(s) ${names.join(', ')} initiated the rollback.`;

/** The deployment's alarms now in ALARM, while it is monitoring them. */
export function triggeredAlarms(state: SimState, sd: ServiceDeploymentRecord): string[] {
  if (sd.alarms?.status !== 'MONITORING') return [];
  return sd.alarms.alarmNames.filter((name) => state.alarms.get(name)?.state === 'ALARM');
}

export function markAlarmsTriggered(sd: ServiceDeploymentRecord, names: string[], now: number): void {
  sd.alarms = { ...sd.alarms!, status: 'TRIGGERED', triggeredAlarmNames: names };
  sd.updatedAt = now;
}

/**
 * How long a rolling deployment stays monitored after steady state. Not documented exactly: the longest
 * evaluation window (Period × EvaluationPeriods) of its alarms, in ECS seconds; 60 s for an unknown alarm.
 */
export function alarmBakeMs(state: SimState, sd: ServiceDeploymentRecord | undefined): number {
  if (sd?.alarms?.status !== 'MONITORING') return 0;
  const windows = sd.alarms.alarmNames.map((name) => {
    const alarm = state.alarms.get(name);
    return alarm ? alarm.period * alarm.evaluationPeriods : 60;
  });
  return Math.max(0, ...windows) * state.timing.secondMs;
}
