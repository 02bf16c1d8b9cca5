import { fromDescribeOutput } from '../../src/taskdef/load';
import { diffTaskDefinitions, normaliseForCompare, sameTaskDefinition } from '../../src/taskdef/normalise';

// What a template renders to...
const template = {
  family: 'shop',
  networkMode: 'awsvpc',
  requiresCompatibilities: ['FARGATE'],
  cpu: 256,
  memory: 512,
  executionRoleArn: 'arn:aws:iam::123456789012:role/shop-execution',
  containerDefinitions: [
    {
      name: 'web',
      image: '123456789012.dkr.ecr.eu-west-1.amazonaws.com/shop:abc123',
      portMappings: [{ containerPort: 8080 }],
      environment: [
        { name: 'RAILS_ENV', value: 'production' },
        { name: 'DB_HOST', value: 'db.internal' },
      ],
      secrets: [
        { name: 'SECRET_KEY_BASE', valueFrom: 'arn:aws:ssm:eu-west-1:123456789012:parameter/shop/secret' },
        { name: 'DB_PASSWORD', valueFrom: 'arn:aws:ssm:eu-west-1:123456789012:parameter/shop/db' },
      ],
      healthCheck: { command: ['CMD-SHELL', 'curl -f localhost:8080/up'] },
      logConfiguration: { logDriver: 'awslogs', options: { 'awslogs-group': '/ecs/shop', 'awslogs-region': 'eu-west-1', 'awslogs-stream-prefix': 'web' } },
    },
    { name: 'sidecar', image: 'public.ecr.aws/aws-observability/aws-otel-collector:v0.40.0', essential: false },
  ],
  tags: [
    { key: 'team', value: 'shop' },
    { key: 'env', value: 'prod' },
  ],
};

// ...and what DescribeTaskDefinition (include TAGS) returns once it is registered.
const described = {
  taskDefinition: {
    taskDefinitionArn: 'arn:aws:ecs:eu-west-1:123456789012:task-definition/shop:42',
    containerDefinitions: [
      {
        name: 'web',
        image: '123456789012.dkr.ecr.eu-west-1.amazonaws.com/shop:abc123',
        cpu: 0,
        portMappings: [{ containerPort: 8080, hostPort: 8080, protocol: 'tcp' }],
        essential: true,
        environment: [
          { name: 'DB_HOST', value: 'db.internal' },
          { name: 'RAILS_ENV', value: 'production' },
        ],
        mountPoints: [],
        volumesFrom: [],
        secrets: [
          { name: 'DB_PASSWORD', valueFrom: 'arn:aws:ssm:eu-west-1:123456789012:parameter/shop/db' },
          { name: 'SECRET_KEY_BASE', valueFrom: 'arn:aws:ssm:eu-west-1:123456789012:parameter/shop/secret' },
        ],
        logConfiguration: { logDriver: 'awslogs', options: { 'awslogs-stream-prefix': 'web', 'awslogs-region': 'eu-west-1', 'awslogs-group': '/ecs/shop' }, secretOptions: [] },
        healthCheck: { command: ['CMD-SHELL', 'curl -f localhost:8080/up'], interval: 30, timeout: 5, retries: 3 },
        systemControls: [],
      },
      {
        name: 'sidecar',
        image: 'public.ecr.aws/aws-observability/aws-otel-collector:v0.40.0',
        cpu: 0,
        portMappings: [],
        essential: false,
        environment: [],
        mountPoints: [],
        volumesFrom: [],
        systemControls: [],
      },
    ],
    family: 'shop',
    executionRoleArn: 'arn:aws:iam::123456789012:role/shop-execution',
    networkMode: 'awsvpc',
    revision: 42,
    volumes: [],
    status: 'ACTIVE',
    requiresAttributes: [{ name: 'ecs.capability.execution-role-awslogs' }, { name: 'com.amazonaws.ecs.capability.logging-driver.awslogs' }],
    placementConstraints: [],
    compatibilities: ['EC2', 'FARGATE'],
    requiresCompatibilities: ['FARGATE'],
    cpu: '256',
    memory: '512',
    registeredAt: new Date('2024-05-01T10:00:00Z'),
    registeredBy: 'arn:aws:sts::123456789012:assumed-role/deploy/ci',
    enableFaultInjection: false,
  },
  tags: [
    { key: 'env', value: 'prod' },
    { key: 'team', value: 'shop' },
  ],
};

const current = fromDescribeOutput(described);

function withWeb(change: (web: Record<string, any>) => void) {
  const copy = structuredClone(template);
  change(copy.containerDefinitions[0]);
  return copy;
}

describe('sameTaskDefinition', () => {
  it('finds a described revision equal to the template it was registered from', () => {
    expect(normaliseForCompare(current)).toEqual(normaliseForCompare(template));
    expect(sameTaskDefinition(template, current)).toBe(true);
    expect(sameTaskDefinition(template, described.taskDefinition)).toBe(false); // tags are part of the comparison
  });

  it('detects a new image', () => {
    expect(sameTaskDefinition(withWeb((web) => (web.image = web.image.replace('abc123', 'def456'))), current)).toBe(false);
  });

  it('detects a changed environment value', () => {
    expect(sameTaskDefinition(withWeb((web) => (web.environment[1].value = 'db2.internal')), current)).toBe(false);
  });

  it('detects an added environment variable, a changed secret, a changed tag and task size', () => {
    expect(sameTaskDefinition(withWeb((web) => web.environment.push({ name: 'NEW', value: '1' })), current)).toBe(false);
    expect(sameTaskDefinition(withWeb((web) => (web.secrets[0].valueFrom += '-v2')), current)).toBe(false);
    expect(sameTaskDefinition({ ...template, tags: [{ key: 'team', value: 'other' }] }, current)).toBe(false);
    expect(sameTaskDefinition({ ...template, memory: 1024 }, current)).toBe(false);
  });

  it('sees a non-default value as a change: a different host port, udp, a health-check interval, a non-essential container', () => {
    expect(sameTaskDefinition(withWeb((web) => (web.portMappings[0].protocol = 'udp')), current)).toBe(false);
    expect(sameTaskDefinition(withWeb((web) => (web.healthCheck.interval = 10)), current)).toBe(false);
    expect(sameTaskDefinition(withWeb((web) => (web.essential = false)), current)).toBe(false);
    expect(sameTaskDefinition(withWeb((web) => (web.cpu = 128)), current)).toBe(false);
  });

  it('treats container order as meaningful but key order and name/value order as not', () => {
    const reversed = { ...template, containerDefinitions: [...template.containerDefinitions].reverse() };
    expect(sameTaskDefinition(reversed, current)).toBe(false);
    const reordered = Object.fromEntries(Object.entries(template).reverse());
    expect(sameTaskDefinition(reordered, current)).toBe(true);
  });
});

describe('normaliseForCompare', () => {
  it('stringifies task-level cpu and memory and drops ECS defaults', () => {
    expect(normaliseForCompare({ family: 'f', cpu: 512, memory: '1024', containerDefinitions: [{ name: 'a', image: 'b', essential: true, cpu: 0, environment: [] }] })).toEqual({
      family: 'f',
      cpu: '512',
      memory: '1024',
      containerDefinitions: [{ name: 'a', image: 'b' }],
    });
  });

  it('drops a bridge-mode host port of 0 but keeps a fixed one', () => {
    const mapping = (hostPort: number) => normaliseForCompare({ family: 'f', networkMode: 'bridge', containerDefinitions: [{ name: 'a', image: 'b', portMappings: [{ containerPort: 80, hostPort }] }] });
    expect(mapping(0).containerDefinitions[0].portMappings).toEqual([{ containerPort: 80 }]);
    expect(mapping(80).containerDefinitions[0].portMappings).toEqual([{ containerPort: 80, hostPort: 80 }]);
  });

  it('produces sorted keys', () => {
    expect(Object.keys(normaliseForCompare({ memory: '1', family: 'f', cpu: '1' }))).toEqual(['cpu', 'family', 'memory']);
  });
});

describe('diffTaskDefinitions', () => {
  it('is empty for equal definitions', () => {
    expect(diffTaskDefinitions(template, current)).toBe('');
  });

  it('shows only what changed, with context', () => {
    const diff = diffTaskDefinitions(current, withWeb((web) => (web.image = 'shop:new')));
    expect(diff.split('\n').filter((line) => /^[-+]/.test(line))).toEqual([
      '-      "image": "123456789012.dkr.ecr.eu-west-1.amazonaws.com/shop:abc123",',
      '+      "image": "shop:new",',
    ]);
    expect(diff).toMatch(/^@@ -\d+,7 \+\d+,7 @@\n/);
  });
});
