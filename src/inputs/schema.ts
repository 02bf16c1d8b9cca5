// The one definition of every input and output. action.yml, pipe.yml, the CLI flags and
// the README tables are all checked against this list by test/unit/schema-sync.test.ts.

/** `count`: a whole number of 1 or more. `minutes`: a number of minutes, 0 or more. */
export type InputType = 'string' | 'boolean' | 'number' | 'minutes' | 'count' | 'list' | 'path';

export interface InputSpec {
  /** kebab-case name: GitHub input, CLI flag (`--name`); UPPER_SNAKE for Bitbucket. */
  name: string;
  description: string;
  type: InputType;
  default?: string;
  required?: boolean;
  secret?: boolean;
  /** Other variable names accepted on Bitbucket (for people coming from Atlassian's pipes). */
  bitbucketAliases?: string[];
  /** Where `ecs-ship deploy --help` lists it. */
  topic: InputTopic;
  /** The commands that read it (each one's sub-action, CLI options and help list it). Default: deploy only. */
  commands?: readonly Command[];
}

/**
 * What ecs-ship can be asked to do, in the order the help lists them. deploy is the action at the
 * repository's root; every other command is also a sub-action, `<owner>/ecs-ship/<command>@v1`, whose
 * action.yml sets `command` (scripts/metadata.ts writes them); the Pipe reads COMMAND; the CLI its first word.
 */
export const COMMANDS = {
  deploy: 'Build the image, register the task definition, run the migration and roll the services out.',
  run: "Run a one-off task with a service's revision, network and launch settings, its command given (ecs-ship run [SERVICE] -- COMMAND [ARGS…]); its container's exit code decides.",
  build: "Build and push the image (or the config file's images, in dependency order) without deploying; a later deploy of the same commit or tag reuses them.",
  continue: 'Let a paused deployment go on, and follow it as a deploy does.',
  rollback: 'Stop the deployment in progress with a rollback, or go back to the revision before.',
  status: 'What each service runs and is doing now. Changes nothing.',
} as const;

export type Command = keyof typeof COMMANDS;

export const COMMAND_NAMES = Object.keys(COMMANDS) as Command[];

/** The inputs a command reads, in the schema's order. */
export function inputsOf(command: Command): InputSpec[] {
  return INPUTS.filter((spec) => (spec.commands ?? ['deploy']).includes(command));
}

/** The topics of `ecs-ship deploy --help`, in its order, with their headings. */
export const INPUT_TOPICS = {
  target: 'What to deploy',
  build: 'Build',
  template: 'Task-definition template',
  migration: 'Migration',
  task: 'One-off task',
  rollout: 'Rollout',
  housekeeping: 'Housekeeping',
  steer: 'Continue and rollback',
  output: 'Output',
} as const;

export type InputTopic = keyof typeof INPUT_TOPICS;

export interface OutputSpec {
  name: string;
  description: string;
}

export const INPUTS: readonly InputSpec[] = [
  {
    name: 'command', topic: 'target',
    type: 'string',
    default: 'deploy',
    commands: COMMAND_NAMES,
    description: `What to do: ${COMMAND_NAMES.join(', ')}. On GitHub each command but deploy is also a sub-action that sets it (<owner>/ecs-ship/<command>@v1); on the command line it is the first word (ecs-ship deploy).`,
  },
  { name: 'cluster', topic: 'target', commands: COMMAND_NAMES, type: 'string', default: '', description: 'ECS cluster name or ARN. Required, here or in the config file.', bitbucketAliases: ['CLUSTER_NAME'] },
  { name: 'service', topic: 'target', commands: COMMAND_NAMES, type: 'string', default: '', description: 'ECS service name or ARN. Required without a config file (which names its services).', bitbucketAliases: ['SERVICE_NAME'] },
  {
    name: 'config', topic: 'target', commands: COMMAND_NAMES,
    type: 'path',
    default: '',
    description:
      'The whole-app config file: its images, services, migration and environments (see "The whole app"). Default: ecs-ship.yml in the working directory when there is one; without a file, one service is deployed from the inputs.',
  },
  { name: 'environment', topic: 'target', commands: COMMAND_NAMES, type: 'string', default: '', description: "The config file's environment to deploy (a key of its environments). Required when the file has environments." },
  {
    name: 'services', topic: 'target', commands: COMMAND_NAMES,
    type: 'list',
    default: '',
    description: "The config file's services to deploy (keys of its services), one per line or separated by commas. Default: all of them.",
  },
  {
    name: 'image', topic: 'target', commands: ['deploy', 'run', 'build'],
    type: 'string',
    default: '',
    description:
      "Image repository to push to (ECR repository name or full registry/repo URI). When build is false, the reference to deploy as is; without a tag or digest it takes tag (default: the commit tag). Required unless task-definition-arn is given. run: optional; the one-off task runs this image (built, reused or as is, as for deploy) in a new revision of the service's task definition, and the service is not updated.",
  },
  { name: 'build', topic: 'build', commands: ['deploy', 'run', 'build'], type: 'boolean', default: 'true', description: 'Build and push the image before deploying. When false, image is deployed as is.' },
  { name: 'context', topic: 'build', commands: ['deploy', 'run', 'build'], type: 'path', default: '.', description: 'Docker build context. Default: the working directory.' },
  { name: 'dockerfile', topic: 'build', commands: ['deploy', 'run', 'build'], type: 'path', default: '', description: 'Dockerfile path, relative to the working directory. Default: Dockerfile in the context.' },
  { name: 'build-args', topic: 'build', commands: ['deploy', 'run', 'build'], type: 'list', default: '', description: 'KEY=VALUE lines passed as --build-arg.' },
  { name: 'target', topic: 'build', commands: ['deploy', 'run', 'build'], type: 'string', default: '', description: 'Build stage to build.' },
  { name: 'labels', topic: 'build', commands: ['deploy', 'run', 'build'], type: 'list', default: '', description: 'KEY=VALUE lines added as image labels (OCI source and revision labels are added for you).' },
  { name: 'platform', topic: 'build', commands: ['deploy', 'run', 'build'], type: 'string', default: '', description: 'Target platform, such as linux/arm64.' },
  { name: 'cache-from', topic: 'build', commands: ['deploy', 'run', 'build'], type: 'list', default: '', description: 'Build cache sources, one per line (buildx syntax, e.g. type=registry,ref=REPO:buildcache).' },
  { name: 'cache-to', topic: 'build', commands: ['deploy', 'run', 'build'], type: 'list', default: '', description: 'Build cache exports, one per line (buildx only).' },
  { name: 'tags', topic: 'build', commands: ['deploy', 'run', 'build'], type: 'list', default: '', description: 'Extra tags besides the commit tag (lines or commas).' },
  {
    name: 'tag', topic: 'build', commands: ['deploy', 'run', 'build'],
    type: 'string',
    default: '',
    description:
      "The release tag: the tag the build pushes, and the tag an image without one takes when build is false (so a deploy of --tag 1.0.0 deploys what a build of --tag 1.0.0 pushed; verification refuses a tag the registry does not have). Default: the commit (its first 12 hex digits).",
  },
  { name: 'force-build', topic: 'build', commands: ['deploy', 'run', 'build'], type: 'boolean', default: 'false', description: 'Build even when the commit tag is already in the registry.' },
  {
    name: 'task-definition', topic: 'template',
    type: 'path',
    default: '',
    description: 'Task-definition template (JSON or YAML). Empty: start from the task definition the service runs now.',
  },
  {
    name: 'container-name', topic: 'template', commands: ['deploy', 'run'],
    type: 'string',
    default: '',
    description: 'Container that gets the image when no container of the template has image ${IMAGE}. Default: the first essential container.',
  },
  {
    name: 'vars', topic: 'template',
    type: 'list',
    default: '',
    description: 'KEY=VALUE lines for the template placeholders. The value is all of the line after the = (a # in it is kept; only vars-file has dotenv comments).',
  },
  { name: 'vars-file', topic: 'template', type: 'path', default: '', description: 'File of KEY=VALUE lines (dotenv style) for the template placeholders.' },
  {
    name: 'secret-vars', topic: 'template',
    type: 'list',
    default: '',
    description:
      'Names of vars (from vars, vars-file or the environment) whose values are secret: replaced by *** in the log, the dry-run diff, errors and the summary, and masked on GitHub. Lines or commas.',
  },
  {
    name: 'migration-command', topic: 'migration',
    type: 'string',
    default: '',
    description:
      'Command for the one-off migration task: a shell-like string split into arguments (no shell) or a JSON array. Empty: no migration (an empty array or an empty program name is an input error).',
  },
  {
    name: 'migration-container', topic: 'migration',
    type: 'string',
    default: '',
    description: 'Container whose command is overridden and whose exit code decides. Default: the container that gets the image.',
  },
  { name: 'migration-timeout-minutes', topic: 'migration', type: 'number', default: '30', description: 'How long the migration task may take.' },
  { name: 'wait', topic: 'rollout', type: 'boolean', default: 'true', description: 'Wait until the new deployment is complete.' },
  { name: 'wait-timeout-minutes', topic: 'rollout', commands: ['deploy', 'continue', 'rollback'], type: 'number', default: '30', description: 'How long to wait for the new deployment.' },
  {
    name: 'wait-until', topic: 'rollout', commands: ['deploy', 'continue'],
    type: 'string',
    default: 'stable',
    description:
      'How far to follow the deployment before returning: stable (until it is complete), deployed (the update is accepted and its deployment found; no wait), paused (until ECS pauses it at a PAUSE lifecycle hook), or a lifecycle stage such as TEST_TRAFFIC_SHIFT, POST_TEST_TRAFFIC_SHIFT or BAKE_TIME (until it reaches that stage). Returning early succeeds and says what is still to happen; `ecs-ship continue` or `ecs-ship rollback` then decides.',
  },
  { name: 'force-new-deployment', topic: 'rollout', type: 'boolean', default: 'false', description: 'Start a new deployment even when the task definition is unchanged.' },
  {
    name: 'redeploy', topic: 'target',
    type: 'boolean',
    default: 'false',
    description: 'Restart the services on the revision each runs now (a new deployment of it): no build, no render, no registration, no migration.',
  },
  {
    name: 'max-task-failures', topic: 'rollout', commands: ['deploy', 'continue'],
    type: 'count',
    default: '3',
    description: 'Fail the rollout as soon as this many tasks of the new deployment have stopped abnormally, circuit breaker or not.',
  },
  {
    name: 'rollback', topic: 'rollout', commands: ['deploy', 'continue'],
    type: 'boolean',
    default: 'true',
    description:
      "When the rollout fails or times out, roll the service back: StopServiceDeployment with a rollback (ECS restores the previous service revision), or an UpdateService to the previous revision where that cannot be done. Never twice: not when ECS already rolls back (circuit breaker, alarms, hooks).",
  },
  {
    name: 'rollback-scope', topic: 'rollout',
    type: 'string',
    default: 'all',
    description:
      'With several services: all (when one fails, every service this run changed is rolled back) or failed (only the services that failed are rolled back).',
  },
  {
    name: 'bake-minutes', topic: 'rollout', commands: ['deploy', 'continue'],
    type: 'minutes',
    default: '0',
    description:
      "After the deployment succeeds, keep watching the new revision this long: a task of it that stops abnormally, or one of the service's deployment alarms in ALARM, fails the deploy and rolls it back. 0: no bake.",
  },
  {
    name: 'stop-migration-on-cancel', topic: 'migration',
    type: 'boolean',
    default: 'false',
    description: 'When the run is cancelled during the migration, stop the migration task. Default: leave it running.',
  },
  {
    name: 'verify', topic: 'template',
    type: 'boolean',
    default: 'true',
    description:
      'Before any change, check that what the task definition refers to exists: ECR images, SSM parameters and Secrets Manager secrets, awslogs log groups, and the task and execution roles (which must trust ecs-tasks.amazonaws.com).',
  },
  {
    name: 'task-command', topic: 'task', commands: ['run'],
    type: 'string',
    default: '',
    description:
      "run: the one-off task's command, a shell-like string split into arguments (no shell) or a JSON array; on the command line, the words after --. Required.",
  },
  {
    name: 'container', topic: 'task', commands: ['run'],
    type: 'string',
    default: '',
    description: "run: the container whose command is overridden and whose exit code decides. Default: container-name, else the revision's first essential container.",
  },
  { name: 'env-vars', topic: 'task', commands: ['run'], type: 'list', default: '', description: 'run: KEY=VALUE lines added to the container\'s environment (CLI: --env-var KEY=VALUE, repeated).' },
  { name: 'task-cpu', topic: 'task', commands: ['run'], type: 'string', default: '', description: "run: the task's cpu instead of the revision's (units such as 1024, or 1 vCPU); with task-memory, a Fargate size." },
  { name: 'task-memory', topic: 'task', commands: ['run'], type: 'string', default: '', description: "run: the task's memory instead of the revision's (MiB such as 2048, or 2 GB)." },
  { name: 'count', topic: 'task', commands: ['run'], type: 'count', default: '1', description: 'run: how many tasks to start (1 to 10); each must exit 0; the first one\'s log is shown.' },
  { name: 'task-timeout-minutes', topic: 'task', commands: ['run'], type: 'number', default: '30', description: 'run: how long the task may take; then it is stopped and the step fails.' },
  {
    name: 'stop-task-on-cancel', topic: 'task', commands: ['run'],
    type: 'boolean',
    default: 'true',
    description: 'run: when the run is cancelled, stop the task. false: leave it running.',
  },
  {
    name: 'dry-run', topic: 'output',
    type: 'boolean',
    default: 'false',
    description: 'Preflight, render and show the diff against the running task definition and the plan, without changing anything.',
  },
  {
    name: 'task-definition-arn', topic: 'target', commands: ['deploy', 'run'],
    type: 'string',
    default: '',
    description:
      'An existing ACTIVE revision to deploy as it is (full ARN or family:revision): no build, no render, no registration; the migration runs with it. Instead of image, task-definition and the build settings.',
  },
  {
    name: 'keep-revisions', topic: 'housekeeping',
    type: 'count',
    default: '',
    description:
      "After a successful deploy, deregister the family's ACTIVE revisions beyond the newest N, except those a service of the cluster runs or rolls to and the one a rollback would use. Empty: keep all.",
  },
  {
    name: 'keep-images', topic: 'housekeeping',
    type: 'count',
    default: '',
    description:
      "After a successful deploy, delete the images of the ECR repositories the run deploys from beyond the newest N by push time, except those an ACTIVE revision of the families the run deploys or a running task of the cluster names. A lookup the role may not make is a warning and deletes nothing. Empty: keep all.",
  },
  {
    name: 'scheduled-tasks', topic: 'housekeeping', commands: ['deploy', 'rollback'],
    type: 'list',
    default: 'false',
    description:
      'After a successful deploy, point the EventBridge rules and EventBridge Scheduler schedules whose ECS target runs the family on the cluster at the new revision (their other settings untouched). true: every one in the account and region; or their names, one per line or separated by commas (group/name for a schedule in a group of your own). A name that is not found, or does not run the family on the cluster, is an input error.',
  },
  {
    name: 'report-file', topic: 'output',
    type: 'path',
    commands: COMMAND_NAMES,
    default: '',
    description:
      "Where to write the run's JSON report (the request, the plan, the changes made, the migration's exit code and last log lines, the stopped tasks' reasons and last log lines, the deployments followed, where each service ended up; secrets redacted). Default: on GitHub, a file in RUNNER_TEMP; in the Pipe, ecs-ship/report.json in the shared storage directory; on the CLI, none unless given.",
  },
  {
    name: 'hook-id', topic: 'steer', commands: ['continue'],
    type: 'string',
    default: '',
    description: 'continue: the ID of the PAUSE hook to answer (the hook-id output of a deploy that returned at a pause). Default: the one ECS waits on, from its record of the deployment.',
  },
  {
    name: 'abort', topic: 'steer', commands: ['rollback'],
    type: 'boolean',
    default: 'false',
    description:
      'rollback: stop the deployment in progress where it is (StopServiceDeployment ABORT) instead of rolling it back: no task is started or stopped for it, and the service keeps what runs now, old and new revisions alike. For when a rollback would make things worse (the old revision cannot run against what changed); not with no deployment in progress.',
  },
  { name: 'aws-region', topic: 'target', commands: COMMAND_NAMES, type: 'string', default: '', description: 'AWS region. Default: AWS_REGION or AWS_DEFAULT_REGION.' },
];

export const OUTPUTS: readonly OutputSpec[] = [
  { name: 'image', description: 'The image reference deployed (pinned by digest when built or reused).' },
  { name: 'image-digest', description: 'The digest of the image deployed, when known.' },
  { name: 'task-definition-arn', description: 'ARN of the task-definition revision deployed.' },
  { name: 'previous-task-definition-arn', description: 'ARN of the revision the service ran before.' },
  { name: 'migration-task-arn', description: 'ARN of the migration task, when one ran.' },
  { name: 'migration-exit-code', description: 'Exit code of the migration container, when one ran.' },
  { name: 'deployment-id', description: 'ID of the ECS deployment this run created.' },
  { name: 'service-deployment-arn', description: "ARN of ECS's record of that deployment (DescribeServiceDeployments), when the role can read it." },
  { name: 'lifecycle-stage', description: 'When the run returned before the end of the deployment (wait-until): the lifecycle stage ECS had it at.' },
  { name: 'hook-id', description: 'When the run returned at a pause (wait-until paused, or a stage with a PAUSE hook): the ID of the PAUSE hook ECS waits on, for ecs-ship continue or ContinueServiceDeployment.' },
  {
    name: 'services',
    description:
      'With a config file: a JSON map from each service of the app deployed to its service, task-definition-arn, previous-task-definition-arn, image, deployment-id, service-deployment-arn, lifecycle-stage, hook-id and outcome. The other outputs are those of the first service.',
  },
  { name: 'scheduled-tasks', description: 'The rules and schedules (group/name) this run pointed at the new revision, comma-separated.' },
  { name: 'task-arns', description: 'run: the ARNs of the one-off tasks started, comma-separated.' },
  { name: 'exit-code', description: "run: the exit code of the task's container (with count, the first failing task's; 0 when all exited 0)." },
  {
    name: 'images',
    description: 'build: a JSON map from each image built or reused (the config file\'s images key, or the service\'s name) to its pinned reference and digest.',
  },
  { name: 'report-file', description: "The path of the run's JSON report (see the report-file input), when it was written." },
  {
    name: 'planned-changes',
    description:
      'With dry-run: a JSON list of the changes a real run would make, in order, each with its service, the AWS action (RegisterTaskDefinition, RunTask, UpdateService, PutTargets, UpdateSchedule, DeregisterTaskDefinition, BatchDeleteImage) and what it changes.',
  },
];

export function toUpperSnake(name: string): string {
  return name.replace(/-/g, '_').toUpperCase();
}
