// Task-definition templates shared by the tests and the benchmark (no test-runner globals here).

/** A template in the style teams write: the image and the database host are placeholders. */
export function webTemplate(options: { sidecar?: boolean; env?: Record<string, string> } = {}): Record<string, any> {
  const environment = Object.entries({ DB_HOST: '${DB_HOST}', ...options.env }).map(([name, value]) => ({ name, value }));
  const containers: any[] = [
    {
      name: 'web',
      image: '${IMAGE}',
      essential: true,
      portMappings: [{ containerPort: 8080 }],
      environment,
      logConfiguration: { logDriver: 'awslogs', options: { 'awslogs-group': '/ecs/web', 'awslogs-region': 'us-east-1', 'awslogs-stream-prefix': 'ecs' } },
    },
  ];
  if (options.sidecar) containers.push({ name: 'log-router', image: 'fluent/fluent-bit:3', essential: false });
  return {
    family: 'web',
    requiresCompatibilities: ['FARGATE'],
    networkMode: 'awsvpc',
    cpu: '256',
    memory: '512',
    executionRoleArn: 'arn:aws:iam::123456789012:role/web-execution',
    taskRoleArn: 'arn:aws:iam::123456789012:role/web-task',
    containerDefinitions: containers,
  };
}
