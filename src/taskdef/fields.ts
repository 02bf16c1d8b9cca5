// The scalar types of the RegisterTaskDefinition fields a template author can get wrong:
// placeholders always render to strings, and YAML reads `value: 8080` as a number.
// Fields not listed here are left as parsed.

export type FieldType = 'int' | 'bool' | 'string' | FieldType[] | { [key: string]: FieldType };

/** A `'*'` key types every key of a map (docker labels, log options). */
const STRING_MAP = { '*': 'string' } as const;
const NAME_VALUE = { name: 'string', value: 'string' } as const;
const NAME_VALUE_FROM = { name: 'string', valueFrom: 'string' } as const;

const CONTAINER: FieldType = {
  name: 'string',
  image: 'string',
  cpu: 'int',
  memory: 'int',
  memoryReservation: 'int',
  essential: 'bool',
  command: ['string'],
  entryPoint: ['string'],
  workingDirectory: 'string',
  user: 'string',
  environment: [NAME_VALUE],
  secrets: [NAME_VALUE_FROM],
  portMappings: [{ containerPort: 'int', hostPort: 'int', protocol: 'string', name: 'string', appProtocol: 'string' }],
  healthCheck: { command: ['string'], interval: 'int', timeout: 'int', retries: 'int', startPeriod: 'int' },
  ulimits: [{ name: 'string', softLimit: 'int', hardLimit: 'int' }],
  dockerLabels: STRING_MAP,
  logConfiguration: { logDriver: 'string', options: STRING_MAP, secretOptions: [NAME_VALUE_FROM] },
  firelensConfiguration: { type: 'string', options: STRING_MAP },
  linuxParameters: {
    initProcessEnabled: 'bool',
    sharedMemorySize: 'int',
    maxSwap: 'int',
    swappiness: 'int',
    tmpfs: [{ containerPath: 'string', size: 'int', mountOptions: ['string'] }],
  },
  mountPoints: [{ sourceVolume: 'string', containerPath: 'string', readOnly: 'bool' }],
  volumesFrom: [{ sourceContainer: 'string', readOnly: 'bool' }],
  restartPolicy: { enabled: 'bool', ignoredExitCodes: ['int'], restartAttemptPeriod: 'int' },
  systemControls: [{ namespace: 'string', value: 'string' }],
  startTimeout: 'int',
  stopTimeout: 'int',
  readonlyRootFilesystem: 'bool',
  privileged: 'bool',
  disableNetworking: 'bool',
  interactive: 'bool',
  pseudoTerminal: 'bool',
};

export const TASK_DEFINITION_FIELDS: FieldType = {
  family: 'string',
  // ECS takes and returns task-level cpu and memory as strings ("256", "0.25 vCPU").
  cpu: 'string',
  memory: 'string',
  taskRoleArn: 'string',
  executionRoleArn: 'string',
  networkMode: 'string',
  containerDefinitions: [CONTAINER],
  volumes: [
    {
      name: 'string',
      configuredAtLaunch: 'bool',
      efsVolumeConfiguration: { fileSystemId: 'string', rootDirectory: 'string', transitEncryptionPort: 'int' },
      dockerVolumeConfiguration: { autoprovision: 'bool', driverOpts: STRING_MAP, labels: STRING_MAP },
    },
  ],
  ephemeralStorage: { sizeInGiB: 'int' },
  enableFaultInjection: 'bool',
  tags: [{ key: 'string', value: 'string' }],
};
