import type { ECSClient } from '@aws-sdk/client-ecs';
import { newLedger } from '../../src/execute/ledger';
import { registerOrReuse } from '../../src/execute/register';

const reporter = { info: () => undefined, warn: () => undefined, debug: () => undefined, phase: <T>(_: string, work: () => Promise<T>) => work(), secret: () => undefined };
const definition = { family: 'web', containerDefinitions: [{ name: 'web', image: 'web:2' }] };

/** An ECS client whose DescribeTaskDefinition finds no family and whose RegisterTaskDefinition fails with `error`. */
function ecsFailingRegister(error: Error): ECSClient {
  const send = async (command: { constructor: { name: string } }) => {
    if (command.constructor.name === 'DescribeTaskDefinitionCommand') throw Object.assign(new Error('Unable to describe task definition.'), { name: 'ClientException', $metadata: { httpStatusCode: 400 } });
    throw error;
  };
  return { send } as unknown as ECSClient;
}

describe('registerOrReuse', () => {
  test('a refusal ECS answered is a task-definition problem', async () => {
    const refused = Object.assign(new Error('Invalid setting for container web'), { name: 'ClientException', $metadata: { httpStatusCode: 400 } });
    const record = newLedger('prod', 'web', 'us-east-1');
    await expect(registerOrReuse(ecsFailingRegister(refused), definition, reporter, record)).rejects.toThrow('task-definition: ECS refused to register family "web": Invalid setting for container web');
    expect(record.unanswered).toEqual([]);
  });

  test('a call that got no answer is not called a refusal, and stays on the record as lost', async () => {
    const dropped = Object.assign(new Error('socket hang up'), { name: 'TimeoutError', code: 'ECONNRESET', $metadata: {} });
    const record = newLedger('prod', 'web', 'us-east-1');
    await expect(registerOrReuse(ecsFailingRegister(dropped), definition, reporter, record)).rejects.toBe(dropped);
    expect(record.unanswered).toMatchObject([{ action: 'RegisterTaskDefinition', lost: true }]);
  });
});
