import type { CloudWatchClient } from '@aws-sdk/client-cloudwatch';

export interface AlarmState {
  name: string;
  state: string;
  reason?: string;
}

/** The state of the named CloudWatch alarms (100 names per call, as DescribeAlarms takes). */
export async function alarmStates(cloudWatch: CloudWatchClient, names: string[]): Promise<AlarmState[]> {
  // Loaded only when a bake watches alarms.
  const { DescribeAlarmsCommand } = await import('@aws-sdk/client-cloudwatch');
  const states: AlarmState[] = [];
  for (let i = 0; i < names.length; i += 100) {
    const out = await cloudWatch.send(new DescribeAlarmsCommand({ AlarmNames: names.slice(i, i + 100), AlarmTypes: ['MetricAlarm', 'CompositeAlarm'] }));
    for (const alarm of [...(out.MetricAlarms ?? []), ...(out.CompositeAlarms ?? [])]) {
      states.push({ name: alarm.AlarmName!, state: alarm.StateValue ?? 'INSUFFICIENT_DATA', reason: alarm.StateReason });
    }
  }
  return states;
}
