import { jsonDuplicateKeys, yamlDuplicateKeys } from '../../src/taskdef/duplicate-keys';

describe('duplicate keys', () => {
  test('in JSON: found at any depth, with the path and both lines; equal keys in different objects are fine', () => {
    const text = '{\n "family": "web",\n "containerDefinitions": [\n  {"name": "a", "environment": [{"name": "X", "value": "1", "value": "2"}]},\n  {"name": "a"}\n ],\n "fam\\u0069ly": "api"\n}';
    expect(jsonDuplicateKeys(text)).toEqual([
      { key: 'value', path: 'containerDefinitions[0].environment[0]', lines: [4, 4] },
      { key: 'family', path: '', lines: [2, 7] },
    ]);
  });

  test('in JSON: strings that hold quotes, braces and commas do not confuse the count', () => {
    expect(jsonDuplicateKeys('{"a": "x\\", \\"a\\": {", "b": ["{", ","], "c": 1}')).toEqual([]);
  });

  test('in YAML and relaxed JSON: found with the path and both lines', () => {
    expect(yamlDuplicateKeys('family: web\ncontainerDefinitions:\n  - name: a\n    image: x\n    image: y\n')).toEqual([{ key: 'image', path: 'containerDefinitions[0]', lines: [4, 5] }]);
    expect(yamlDuplicateKeys('{"family": "web", "family": "api",}')).toEqual([{ key: 'family', path: '', lines: [1, 1] }]);
  });
});
