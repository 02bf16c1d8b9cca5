import { ListServiceDeploymentsCommand, type ECSClient, type Service } from '@aws-sdk/client-ecs';
import { recordOfUpdate } from '../../src/aws/service-deployments';

const SERVICE = 'arn:aws:ecs:us-east-1:1:service/prod/web';
const RECORD = (id: string) => `arn:aws:ecs:us-east-1:1:service-deployment/prod/web/${id}`;

/** A stand-in ECS that lists one record created after the update, and counts the lists. */
function listingEcs() {
  const lists: unknown[] = [];
  const client = {
    send: async (command: unknown) => {
      if (!(command instanceof ListServiceDeploymentsCommand)) throw new Error(`unexpected ${String(command)}`);
      lists.push(command.input);
      return { serviceDeployments: [{ serviceDeploymentArn: RECORD('listed'), createdAt: new Date() }] };
    },
  };
  return { ecs: client as unknown as ECSClient, lists };
}

const answer = (current?: string): Service => ({ serviceArn: SERVICE, clusterArn: 'arn:aws:ecs:us-east-1:1:cluster/prod', currentServiceDeployment: current });

describe('the record of the deployment an UpdateService started', () => {
  test('is the one the answer names when the service had another before: nothing is listed', async () => {
    const { ecs, lists } = listingEcs();
    await expect(recordOfUpdate(ecs, answer(RECORD('new')), new Date(), RECORD('old'))).resolves.toBe(RECORD('new'));
    expect(lists).toHaveLength(0);
  });

  test('is listed when the answer still names the record the service had before (ECS had not made the new one yet)', async () => {
    const { ecs, lists } = listingEcs();
    await expect(recordOfUpdate(ecs, answer(RECORD('old')), new Date(), RECORD('old'))).resolves.toBe(RECORD('listed'));
    expect(lists).toHaveLength(1);
  });

  test('is listed when the answer names none', async () => {
    const { ecs, lists } = listingEcs();
    await expect(recordOfUpdate(ecs, answer(undefined), new Date(), undefined)).resolves.toBe(RECORD('listed'));
    expect(lists).toHaveLength(1);
  });
});
