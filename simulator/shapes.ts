import { AwsError } from './errors';
import type { AwsServiceName } from './types';

// The top-level member types of the operations the simulator answers, from the AWS API reference.
// A member of the wrong JSON type is refused as AWS's JSON protocol refuses it, not coerced.
// s: string, i: integer/long/timestamp (a JSON number), b: boolean, l: list, m: structure or map.

type MemberType = 's' | 'i' | 'b' | 'l' | 'm';

const shape = (spec: string): Record<string, MemberType> =>
  Object.fromEntries(
    spec
      .split(/\s+/)
      .filter(Boolean)
      .map((entry) => entry.split(':') as [string, MemberType]),
  );

const SHAPES: Partial<Record<AwsServiceName, Record<string, Record<string, MemberType>>>> = {
  ecs: {
    UpdateService: shape(
      'cluster:s service:s desiredCount:i taskDefinition:s forceNewDeployment:b deploymentConfiguration:m networkConfiguration:m ' +
        'capacityProviderStrategy:l platformVersion:s healthCheckGracePeriodSeconds:i enableExecuteCommand:b enableECSManagedTags:b ' +
        'propagateTags:s loadBalancers:l serviceRegistries:l placementConstraints:l placementStrategy:l serviceConnectConfiguration:m',
    ),
    RunTask: shape(
      'cluster:s taskDefinition:s count:i launchType:s startedBy:s group:s overrides:m networkConfiguration:m capacityProviderStrategy:l ' +
        'platformVersion:s tags:l enableExecuteCommand:b enableECSManagedTags:b propagateTags:s referenceId:s clientToken:s placementConstraints:l placementStrategy:l',
    ),
    RegisterTaskDefinition: shape(
      'family:s containerDefinitions:l cpu:s memory:s networkMode:s requiresCompatibilities:l executionRoleArn:s taskRoleArn:s volumes:l ' +
        'tags:l runtimePlatform:m ephemeralStorage:m pidMode:s ipcMode:s placementConstraints:l proxyConfiguration:m inferenceAccelerators:l',
    ),
    CreateService: shape('cluster:s serviceName:s taskDefinition:s desiredCount:i launchType:s networkConfiguration:m deploymentConfiguration:m loadBalancers:l serviceConnectConfiguration:m'),
    ListServiceDeployments: shape('service:s cluster:s status:l createdAt:m nextToken:s maxResults:i'),
    DescribeServiceDeployments: shape('serviceDeploymentArns:l'),
    DescribeServiceRevisions: shape('serviceRevisionArns:l'),
    StopServiceDeployment: shape('serviceDeploymentArn:s stopType:s'),
    ContinueServiceDeployment: shape('serviceDeploymentArn:s hookId:s action:s'),
    DescribeServices: shape('cluster:s services:l include:l'),
    DescribeTasks: shape('cluster:s tasks:l include:l'),
    DescribeClusters: shape('clusters:l include:l'),
    DescribeTaskDefinition: shape('taskDefinition:s include:l'),
    DeregisterTaskDefinition: shape('taskDefinition:s'),
    StopTask: shape('cluster:s task:s reason:s'),
    ListTasks: shape('cluster:s family:s startedBy:s serviceName:s desiredStatus:s launchType:s containerInstance:s maxResults:i nextToken:s'),
    ListServices: shape('cluster:s launchType:s schedulingStrategy:s maxResults:i nextToken:s'),
    ListTaskDefinitions: shape('familyPrefix:s status:s sort:s maxResults:i nextToken:s'),
    ListClusters: shape('maxResults:i nextToken:s'),
  },
  ecr: {
    GetAuthorizationToken: shape('registryIds:l'),
    DescribeImages: shape('registryId:s repositoryName:s imageIds:l maxResults:i nextToken:s filter:m'),
    DescribeRepositories: shape('registryId:s repositoryNames:l maxResults:i nextToken:s'),
    BatchGetImage: shape('registryId:s repositoryName:s imageIds:l acceptedMediaTypes:l'),
    CreateRepository: shape('registryId:s repositoryName:s tags:l imageTagMutability:s imageScanningConfiguration:m encryptionConfiguration:m'),
    PutImage: shape('registryId:s repositoryName:s imageManifest:s imageManifestMediaType:s imageTag:s imageDigest:s'),
  },
  logs: {
    GetLogEvents: shape('logGroupName:s logGroupIdentifier:s logStreamName:s startTime:i endTime:i nextToken:s limit:i startFromHead:b unmask:b'),
    FilterLogEvents: shape('logGroupName:s logGroupIdentifier:s logStreamNames:l logStreamNamePrefix:s startTime:i endTime:i filterPattern:s nextToken:s limit:i'),
    CreateLogGroup: shape('logGroupName:s kmsKeyId:s tags:m logGroupClass:s'),
    CreateLogStream: shape('logGroupName:s logStreamName:s'),
    PutLogEvents: shape('logGroupName:s logStreamName:s logEvents:l sequenceToken:s'),
    DescribeLogGroups: shape('logGroupNamePrefix:s logGroupNamePattern:s nextToken:s limit:i'),
    DescribeLogStreams: shape('logGroupName:s logStreamNamePrefix:s orderBy:s descending:b nextToken:s limit:i'),
  },
  ssm: {
    PutParameter: shape('Name:s Value:s Type:s Overwrite:b Description:s DataType:s Tier:s KeyId:s AllowedPattern:s Tags:l'),
    GetParameters: shape('Names:l WithDecryption:b'),
    DescribeParameters: shape('ParameterFilters:l Filters:l MaxResults:i NextToken:s'),
    LabelParameterVersion: shape('Name:s ParameterVersion:i Labels:l'),
  },
  cloudwatch: {
    DescribeAlarms: shape('AlarmNames:l AlarmNamePrefix:s AlarmTypes:l ChildrenOfAlarmName:s ParentsOfAlarmName:s StateValue:s ActionPrefix:s MaxRecords:i NextToken:s'),
    PutMetricAlarm: shape(
      'AlarmName:s AlarmDescription:s ActionsEnabled:b OKActions:l AlarmActions:l InsufficientDataActions:l MetricName:s Namespace:s Statistic:s ' +
        'ExtendedStatistic:s Dimensions:l Period:i Unit:s EvaluationPeriods:i DatapointsToAlarm:i ComparisonOperator:s TreatMissingData:s Metrics:l Tags:l',
    ),
    SetAlarmState: shape('AlarmName:s StateValue:s StateReason:s StateReasonData:s'),
  },
  events: {
    PutRule: shape('Name:s ScheduleExpression:s EventPattern:s State:s Description:s RoleArn:s Tags:l EventBusName:s'),
    DescribeRule: shape('Name:s EventBusName:s'),
    ListRules: shape('NamePrefix:s EventBusName:s NextToken:s Limit:i'),
    ListRuleNamesByTarget: shape('TargetArn:s EventBusName:s NextToken:s Limit:i'),
    ListTargetsByRule: shape('Rule:s EventBusName:s NextToken:s Limit:i'),
    PutTargets: shape('Rule:s EventBusName:s Targets:l'),
    RemoveTargets: shape('Rule:s EventBusName:s Ids:l Force:b'),
  },
  // The body members only: path and query members arrive as text.
  scheduler: {
    CreateSchedule: shape(
      'ScheduleExpression:s Target:m FlexibleTimeWindow:m GroupName:s Description:s ScheduleExpressionTimezone:s State:s KmsKeyArn:s ClientToken:s ActionAfterCompletion:s',
    ),
    UpdateSchedule: shape(
      'ScheduleExpression:s Target:m FlexibleTimeWindow:m GroupName:s Description:s ScheduleExpressionTimezone:s State:s KmsKeyArn:s ClientToken:s ActionAfterCompletion:s',
    ),
    CreateScheduleGroup: shape('Tags:l ClientToken:s'),
  },
  secretsmanager: {
    CreateSecret: shape('Name:s SecretString:s SecretBinary:s Description:s ClientRequestToken:s KmsKeyId:s Tags:l'),
    DescribeSecret: shape('SecretId:s'),
  },
};

const JAVA_TYPES: Record<MemberType, string> = { s: 'String', i: 'Integer', b: 'Boolean', l: 'List', m: 'Structure' };

function kindOf(value: unknown): MemberType | 'number' {
  if (Array.isArray(value)) return 'l';
  if (typeof value === 'object') return 'm';
  if (typeof value === 'string') return 's';
  if (typeof value === 'boolean') return 'b';
  return Number.isInteger(value) ? 'i' : 'number';
}

function mismatch(value: unknown, expected: MemberType): AwsError {
  const kind = kindOf(value);
  if (kind === 'm') return new AwsError('SerializationException', 'Start of structure or map found where not expected.');
  if (kind === 'l') return new AwsError('SerializationException', 'Start of list found where not expected');
  const jsonKind = kind === 's' ? 'STRING_VALUE' : kind === 'b' ? (value ? 'TRUE_VALUE' : 'FALSE_VALUE') : 'NUMBER_VALUE';
  return new AwsError('SerializationException', `${jsonKind} can not be converted to ${expected === 'i' ? 'an' : 'a'} ${JAVA_TYPES[expected]}`);
}

/** Throws SerializationException when a known top-level member has the wrong JSON type; null counts as absent. */
export function checkMemberTypes(service: AwsServiceName, action: string, input: Record<string, unknown>): void {
  const members = SHAPES[service]?.[action];
  if (!members) return;
  for (const [name, value] of Object.entries(input)) {
    const expected = members[name];
    if (!expected || value === null || value === undefined) continue;
    const kind = kindOf(value);
    if (kind !== expected) throw mismatch(value, expected);
  }
}
