// Bad input is exit 2 with a message naming the input and what was expected, before any side effect.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deploy, failureMessage } from '../support/scenarios';
import { givenService, webTemplate, type World } from '../support/world';

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

describe('vars given inline', () => {
  const template = () => webTemplate({ env: { TOKEN: '${TOKEN}' } });
  const tokenOf = () => world.sim.taskDefinitions('web').at(-1).containerDefinitions[0].environment.find((e: { name: string }) => e.name === 'TOKEN')?.value;

  test('given an inline value with " #", the value is kept whole: only a vars file has comments', async () => {
    world = await givenService();
    const run = await deploy(world, { vars: 'DB_HOST=db\nTOKEN=p@ss #word' }, {}, template());

    expect(run.code).toBe(0);
    expect(tokenOf()).toBe('p@ss #word');
  });

  test('given the same line in a vars file, " #" starts a comment there (dotenv)', async () => {
    world = await givenService();
    const varsFile = join(world.dir, 'deploy.env');
    writeFileSync(varsFile, 'TOKEN=p@ss #word\n');
    const run = await deploy(world, { vars: 'DB_HOST=db', 'vars-file': varsFile }, {}, template());

    expect(run.code).toBe(0);
    expect(tokenOf()).toBe('p@ss');
  });
});

describe('duplicate keys in a template', () => {
  test('given a JSON template with a key twice in one object, the run fails with exit 2 naming the key and where, before any change', async () => {
    world = await givenService();
    const json = JSON.stringify(webTemplate(), null, 2).replace('"image": "${IMAGE}",', '"image": "${IMAGE}",\n      "image": "nginx:latest",');
    const path = world.writeTemplate(json as never);
    const run = await deploy(world, {}, {}, json as never);

    expect(run.code).toBe(2);
    expect(failureMessage(run)).toContain(`task-definition: ${path}: key "image" appears twice in containerDefinitions[0] (lines 14 and 15). Expected each key once.`);
    expect(world.sim.mutatingCalls()).toEqual([]);
  });

  test('given a YAML template with a key twice, the message names the key too', async () => {
    world = await givenService();
    const yaml = 'family: web\nnetworkMode: awsvpc\nfamily: api\ncontainerDefinitions:\n  - name: web\n    image: ${IMAGE}\n';
    const path = world.writeTemplate(yaml as never, 'task-definition.yaml');
    const run = await deploy(world, { 'task-definition': path });

    expect(run.code).toBe(2);
    expect(failureMessage(run)).toContain(`task-definition: ${path}: key "family" appears twice (lines 1 and 3). Expected each key once.`);
    expect(world.sim.mutatingCalls()).toEqual([]);
  });
});
