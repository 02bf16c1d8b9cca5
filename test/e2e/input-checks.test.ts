// Bad input is exit 2 with a message naming the input and what was expected, before any side effect.
import { deploy, failureMessage } from '../support/scenarios';
import { givenService, type World } from '../support/world';

let world: World;
afterEach(async () => world?.close());

describe('an empty migration command', () => {
  test.each([
    ['[]', 'migration-command: the JSON array is empty.'],
    ['[""]', 'migration-command: the first word (the program to run) is empty.'],
    ["''", 'migration-command: the first word (the program to run) is empty.'],
    ['["  ", "migrate"]', 'migration-command: the first word (the program to run) is empty.'],
  ])('given migration-command %s, the run fails with exit 2 naming it, before any change', async (command, problem) => {
    world = await givenService();
    const run = await deploy(world, { 'migration-command': command });

    expect(run.code).toBe(2);
    expect(failureMessage(run)).toContain(problem);
    expect(world.sim.mutatingCalls()).toEqual([]);
  });
});
