import { redactSecretFields, secretFieldPaths } from '../../src/plan/secret-fields';

const container = (environment: Array<{ name: string; value: string }>) => ({ containerDefinitions: [{ name: 'web', image: 'x', environment }] });

describe('the secret fields of a dry-run diff', () => {
  const template = container([{ name: 'DB_HOST', value: '${DB_HOST}' }, { name: 'API_TOKEN', value: 'Bearer ${API_TOKEN}' }]);
  const paths = secretFieldPaths(template, ['API_TOKEN']);

  test('are the template strings that use a secret var', () => {
    expect(paths).toEqual([['containerDefinitions', 0, 'environment', 1, 'value']]);
  });

  test('are hidden on both sides, found by container and variable name wherever the running definition lists them', () => {
    const running = container([{ name: 'API_TOKEN', value: 'ab1' }, { name: 'DB_HOST', value: 'db' }]);
    const rendered = container([{ name: 'DB_HOST', value: 'db' }, { name: 'API_TOKEN', value: 'Bearer new-token' }]);
    const shown = redactSecretFields(running, rendered, paths);

    expect(shown.running.containerDefinitions[0].environment).toEqual([{ name: 'API_TOKEN', value: '***' }, { name: 'DB_HOST', value: 'db' }]);
    expect(shown.rendered.containerDefinitions[0].environment[1]).toEqual({ name: 'API_TOKEN', value: '*** (changed)' });
    expect(shown.runningValues).toEqual(['ab1']);
    expect(running.containerDefinitions[0].environment[0].value).toBe('ab1');
  });

  test('an unchanged value is *** on both sides; a new one is *** on the + side only', () => {
    const same = container([{ name: 'API_TOKEN', value: 'Bearer t' }]);
    expect(redactSecretFields(same, container([{ name: 'DB_HOST', value: 'db' }, { name: 'API_TOKEN', value: 'Bearer t' }]), paths).rendered.containerDefinitions[0].environment[1].value).toBe('***');
    const added = redactSecretFields(container([]), container([{ name: 'DB_HOST', value: 'db' }, { name: 'API_TOKEN', value: 'Bearer t' }]), paths);
    expect(added.rendered.containerDefinitions[0].environment[1].value).toBe('***');
    expect(added.runningValues).toEqual([]);
  });
});
