import { AwsError } from './errors';
import type { HandlerTable } from './handler';
import { decodePageToken, encodePageToken, epochSeconds } from './ids';
import { withoutUndefined } from './objects';
import type { SimState } from './state';

// CloudWatch metric alarms, as far as ECS deployment alarms use them: an alarm exists with a state, set by
// PutMetricAlarm (INSUFFICIENT_DATA at first), SetAlarmState or the test, and read by DescribeAlarms.
// No metrics are evaluated. AWS JSON 1.0 with PascalCase members, as the CloudWatch API names them.

export type AlarmState = 'OK' | 'ALARM' | 'INSUFFICIENT_DATA';
const STATES: AlarmState[] = ['OK', 'ALARM', 'INSUFFICIENT_DATA'];

export interface AlarmRecord {
  name: string;
  arn: string;
  state: AlarmState;
  stateReason: string;
  stateUpdatedAt: number;
  configurationUpdatedAt: number;
  metricName: string;
  namespace: string;
  statistic: string;
  dimensions: any[];
  period: number;
  evaluationPeriods: number;
  threshold: number;
  comparisonOperator: string;
  description?: string;
}

/** CloudWatch's error codes in the awsQuery-compatible header the SDK reads them from. */
export const CLOUDWATCH_QUERY_CODES: Record<string, string> = {
  ResourceNotFound: 'ResourceNotFound',
  InvalidParameterValueException: 'InvalidParameterValue',
  MissingRequiredParameterException: 'MissingParameter',
  InvalidNextToken: 'InvalidNextToken',
};

const invalidValue = (message: string) => new AwsError('InvalidParameterValueException', message);
const missing = (name: string) => new AwsError('MissingRequiredParameterException', `The parameter ${name} is required.`);

export function putAlarm(state: SimState, name: string, settings: Partial<AlarmRecord>, now: number): AlarmRecord {
  const existing = state.alarms.get(name);
  const alarm: AlarmRecord = {
    name,
    arn: `arn:aws:cloudwatch:${state.config.region}:${state.config.accountId}:alarm:${name}`,
    state: 'INSUFFICIENT_DATA',
    stateReason: 'Unchecked: Initial alarm creation',
    stateUpdatedAt: now,
    metricName: 'CPUUtilization',
    namespace: 'AWS/ECS',
    statistic: 'Average',
    dimensions: [],
    period: 60,
    evaluationPeriods: 1,
    threshold: 80,
    comparisonOperator: 'GreaterThanThreshold',
    ...existing,
    ...withoutUndefined(settings),
    configurationUpdatedAt: now,
  };
  state.alarms.set(name, alarm);
  return alarm;
}

export function setAlarmState(state: SimState, name: string, value: string, reason: string, now: number): void {
  const alarm = state.alarms.get(name);
  if (!alarm) throw new AwsError('ResourceNotFound', `Alarm ${name} not found`, 404);
  if (!STATES.includes(value as AlarmState)) throw invalidValue(`Invalid StateValue: ${value}. Valid values are OK, ALARM and INSUFFICIENT_DATA.`);
  alarm.state = value as AlarmState;
  alarm.stateReason = reason;
  alarm.stateUpdatedAt = now;
}

function alarmView(alarm: AlarmRecord): any {
  return withoutUndefined({
    AlarmName: alarm.name,
    AlarmArn: alarm.arn,
    AlarmDescription: alarm.description,
    AlarmConfigurationUpdatedTimestamp: epochSeconds(alarm.configurationUpdatedAt),
    ActionsEnabled: true,
    OKActions: [],
    AlarmActions: [],
    InsufficientDataActions: [],
    StateValue: alarm.state,
    StateReason: alarm.stateReason,
    StateUpdatedTimestamp: epochSeconds(alarm.stateUpdatedAt),
    StateTransitionedTimestamp: epochSeconds(alarm.stateUpdatedAt),
    MetricName: alarm.metricName,
    Namespace: alarm.namespace,
    Statistic: alarm.statistic,
    Dimensions: alarm.dimensions,
    Period: alarm.period,
    EvaluationPeriods: alarm.evaluationPeriods,
    Threshold: alarm.threshold,
    ComparisonOperator: alarm.comparisonOperator,
  });
}

export const cloudwatchHandlers: HandlerTable = {
  DescribeAlarms(state, input) {
    const names: string[] | undefined = input.AlarmNames?.length ? input.AlarmNames : undefined;
    if (input.StateValue !== undefined && !STATES.includes(input.StateValue)) throw invalidValue(`Invalid StateValue: ${input.StateValue}.`);
    const pageSize = input.MaxRecords ?? 50;
    if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 100) throw invalidValue('MaxRecords must be between 1 and 100.');
    const offset = decodePageToken(input.NextToken);
    if (offset === undefined) throw new AwsError('InvalidNextToken', 'The next token specified is invalid.');
    const types: string[] | undefined = input.AlarmTypes;
    const matching = [...state.alarms.values()]
      .filter((alarm) => !names || names.includes(alarm.name))
      .filter((alarm) => !input.AlarmNamePrefix || alarm.name.startsWith(input.AlarmNamePrefix))
      .filter((alarm) => !input.StateValue || alarm.state === input.StateValue)
      .sort((a, b) => (a.name < b.name ? -1 : 1));
    const metricAlarms = types && !types.includes('MetricAlarm') ? [] : matching;
    const page = metricAlarms.slice(offset, offset + pageSize).map(alarmView);
    return withoutUndefined({
      MetricAlarms: page,
      CompositeAlarms: [],
      NextToken: offset + pageSize < metricAlarms.length ? encodePageToken(offset + pageSize) : undefined,
    });
  },

  PutMetricAlarm(state, input, now) {
    if (typeof input.AlarmName !== 'string' || !input.AlarmName) throw missing('AlarmName');
    if (input.EvaluationPeriods === undefined) throw missing('EvaluationPeriods');
    if (input.ComparisonOperator === undefined) throw missing('ComparisonOperator');
    if (!Number.isInteger(input.EvaluationPeriods) || input.EvaluationPeriods < 1) throw invalidValue('EvaluationPeriods must be at least 1.');
    putAlarm(
      state,
      input.AlarmName,
      {
        description: input.AlarmDescription,
        metricName: input.MetricName,
        namespace: input.Namespace,
        statistic: input.Statistic,
        dimensions: input.Dimensions,
        period: input.Period,
        evaluationPeriods: input.EvaluationPeriods,
        threshold: input.Threshold,
        comparisonOperator: input.ComparisonOperator,
      },
      now,
    );
    return {};
  },

  SetAlarmState(state, input, now) {
    if (typeof input.AlarmName !== 'string' || !input.AlarmName) throw missing('AlarmName');
    if (input.StateValue === undefined) throw missing('StateValue');
    if (typeof input.StateReason !== 'string') throw missing('StateReason');
    setAlarmState(state, input.AlarmName, input.StateValue, input.StateReason, now);
    return {};
  },
};
