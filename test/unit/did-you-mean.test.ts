// "Did you mean …" for a slip in a name: of a config key, an environment, a service, a container.
import { parseAppConfig } from '../../src/config/app-config';
import { environmentProblems, serviceSelectionProblems } from '../../src/config/settings';
import { problemsIfAny } from '../support/problems';
import { didYouMean } from '../../src/inputs/did-you-mean';
import { selectContainer } from '../../src/taskdef/image';

const problemsOf = problemsIfAny;

const APP = ['images:', '  app:', '    image: web', 'services:', '  web:', '    image: app', '  worker:', '    image: app', 'environments:', '  staging: {}', '  production: {}', ''].join('\n');

describe('didYouMean', () => {
  test('a typo, a swap, a missing letter or the wrong case finds the name', () => {
    expect(didYouMean('clutser', ['cluster', 'service'])).toBe(' Did you mean "cluster"?');
    expect(didYouMean('wrker', ['web', 'worker'])).toBe(' Did you mean "worker"?');
    expect(didYouMean('Production', ['staging', 'production'])).toBe(' Did you mean "production"?');
  });

  test('nothing for a word that is no slip of any name, nor for the name itself', () => {
    expect(didYouMean('frobnicate', ['cluster', 'service'])).toBe('');
    expect(didYouMean('db', ['web', 'worker'])).toBe('');
    expect(didYouMean('web', ['web'])).toBe('');
  });
});

describe('in the problems', () => {
  test('an unknown config key', () => {
    const problems = problemsOf(() => parseAppConfig('ecs-ship.yml', APP.replace('services:\n  web:\n', 'services:\n  web:\n    task-definiton: web.json\n')));
    expect(problems.join('\n')).toMatch(/task-definiton: unknown key\. Did you mean "task-definition"\? Expected one of: /);
  });

  test('an environment and a service of the config file', () => {
    const config = parseAppConfig('ecs-ship.yml', APP);
    expect(environmentProblems(config, 'prodution')[0]).toMatch(/"prodution" is not an environment of ecs-ship\.yml\. Did you mean "production"\? Expected one of: staging, production\./);
    expect(serviceSelectionProblems(config, ['wroker', 'db'])).toEqual([
      expect.stringMatching(/"wroker" is not a service of ecs-ship\.yml\. Did you mean "worker"\? Expected one of: web, worker\.$/),
      expect.stringMatching(/"db" is not a service of ecs-ship\.yml\. Expected one of: web, worker\.$/),
    ]);
  });

  test("a service's image that is a slip of one of the file's images", () => {
    expect(problemsOf(() => parseAppConfig('ecs-ship.yml', APP.replace('  worker:\n    image: app', '  worker:\n    image: ap'))).join('\n')).toMatch(/"ap" is not an image of the file\. Did you mean "app"\?/);
  });

  test('a container name', () => {
    const definition = { family: 'web', containerDefinitions: [{ name: 'web' }, { name: 'log-router' }] };
    expect(problemsOf(() => selectContainer(definition, 'log-routr'))).toEqual([
      'container-name: no container named "log-routr" in the task definition. Did you mean "log-router"? Expected one of: web, log-router.',
    ]);
  });
});
