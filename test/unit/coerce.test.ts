import { coerceFieldTypes } from '../../src/taskdef/coerce';

describe('coerceFieldTypes', () => {
  it('converts strings in integer and boolean fields, and scalars in string fields', () => {
    const { definition, problems } = coerceFieldTypes({
      family: 'web',
      cpu: 1024,
      memory: 2048,
      ephemeralStorage: { sizeInGiB: '30' },
      containerDefinitions: [
        {
          name: 'web',
          image: 'x',
          cpu: ' 512 ',
          memoryReservation: '-1',
          readonlyRootFilesystem: 'TRUE',
          command: ['sleep', 3600],
          environment: [{ name: 'DEBUG', value: false }],
          healthCheck: { command: ['CMD', 'true'], interval: '10', retries: 3 },
          logConfiguration: { logDriver: 'awslogs', options: { 'max-buffer-size': 25, 'awslogs-group': '/ecs/web' } },
          dockerLabels: { version: 2 },
        },
      ],
    });
    expect(problems).toEqual([]);
    expect(definition).toEqual({
      family: 'web',
      cpu: '1024',
      memory: '2048',
      ephemeralStorage: { sizeInGiB: 30 },
      containerDefinitions: [
        {
          name: 'web',
          image: 'x',
          cpu: 512,
          memoryReservation: -1,
          readonlyRootFilesystem: true,
          command: ['sleep', '3600'],
          environment: [{ name: 'DEBUG', value: 'false' }],
          healthCheck: { command: ['CMD', 'true'], interval: 10, retries: 3 },
          logConfiguration: { logDriver: 'awslogs', options: { 'max-buffer-size': '25', 'awslogs-group': '/ecs/web' } },
          dockerLabels: { version: '2' },
        },
      ],
    });
  });

  it('leaves fields it does not know as they are', () => {
    const input = { family: 'web', futureField: { count: '3' }, containerDefinitions: [{ name: 'a', image: 'b', newFlag: 'true' }] };
    expect(coerceFieldTypes(input).definition).toEqual(input);
  });

  it('lists every field that cannot be converted', () => {
    const { problems } = coerceFieldTypes({
      family: 'web',
      containerDefinitions: [{ name: 'a', image: 'b', memory: '1.5', essential: 'yes', portMappings: [{ containerPort: 80.5 }, { hostPort: '0x50' }] }],
    });
    expect(problems).toEqual([
      'containerDefinitions[0].memory must be an integer, got "1.5".',
      'containerDefinitions[0].essential must be true or false, got "yes".',
      'containerDefinitions[0].portMappings[0].containerPort must be an integer, got 80.5.',
      'containerDefinitions[0].portMappings[1].hostPort must be an integer, got "0x50".',
    ]);
  });
});
