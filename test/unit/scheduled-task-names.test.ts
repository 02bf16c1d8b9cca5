import { InputError } from '../../src/shared/errors';
import { readScheduledTasksInput, scheduledTaskDefinitionArns, taskDefinitionOf } from '../../src/plan/scheduled-task-names';

describe('the scheduled-tasks input', () => {
  test('empty or false is off; true is every scheduled task of the family', () => {
    expect([readScheduledTasksInput(''), readScheduledTasksInput('false'), readScheduledTasksInput('FALSE')]).toEqual([undefined, undefined, undefined]);
    expect(readScheduledTasksInput(' true ')).toEqual({ all: true });
  });

  test('names, one per line or separated by commas; group/name names a schedule in that group', () => {
    expect(readScheduledTasksInput('nightly-report, ops/cleanup\nnightly-report')).toEqual({
      all: false,
      names: [
        { text: 'nightly-report', name: 'nightly-report' },
        { text: 'ops/cleanup', group: 'ops', name: 'cleanup' },
      ],
    });
  });

  test('what cannot be a rule or schedule name is an input error naming each', () => {
    let caught: unknown;
    try {
      readScheduledTasksInput('a/b/c, bad name');
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(InputError);
    expect((caught as InputError).problems.map((p) => p.slice(0, p.indexOf(' is not')))).toEqual(['scheduled-tasks: "a/b/c"', 'scheduled-tasks: "bad name"']);
  });
});

describe('the task definition a target names', () => {
  test.each([
    ['arn:aws:ecs:us-east-1:123456789012:task-definition/web:7', { family: 'web', revision: 7 }],
    ['arn:aws:ecs:us-east-1:123456789012:task-definition/web', { family: 'web' }],
    ['web:3', { family: 'web', revision: 3 }],
    ['arn:aws-cn:ecs:cn-north-1:123456789012:task-definition/web-worker:12', { family: 'web-worker', revision: 12 }],
  ])('%s', (reference, expected) => expect(taskDefinitionOf(reference)).toEqual(expected));

  test('the revisions scheduled tasks target, each once', () => {
    const arn = 'arn:aws:ecs:us-east-1:123456789012:task-definition/web:1';
    expect(
      scheduledTaskDefinitionArns([
        { kind: 'rule', name: 'r', targetId: 'a', taskDefinitionArn: arn },
        { kind: 'schedule', name: 'default/s', taskDefinitionArn: arn },
        { kind: 'schedule', name: 'ops/t', taskDefinitionArn: 'web:2' },
      ]),
    ).toEqual([arn, 'web:2']);
  });
});
