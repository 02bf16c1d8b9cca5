/** One change a real run would make: the AWS call and what it changes. */
export interface PlannedChange {
  service: string;
  action: 'RegisterTaskDefinition' | 'RunTask' | 'UpdateService' | 'PutTargets' | 'UpdateSchedule' | 'DeregisterTaskDefinition' | 'BatchDeleteImage';
  target: string;
}
