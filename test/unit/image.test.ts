import { InputError } from '../../src/shared/errors';
import { selectContainer, setImage } from '../../src/taskdef/image';

const definition = {
  family: 'shop',
  containerDefinitions: [
    { name: 'log-router', image: 'fluent-bit:1', essential: false },
    { name: 'web', image: 'shop:old', environment: [{ name: 'A', value: '1' }] },
    { name: 'worker', image: 'shop:old' },
  ],
};

describe('setImage', () => {
  it('puts the image in the first essential container by default', () => {
    const updated = setImage(definition, 'shop:new');
    expect(updated.containerDefinitions.map((c: { image: string }) => c.image)).toEqual(['fluent-bit:1', 'shop:new', 'shop:old']);
  });

  it('puts the image in the named container', () => {
    expect(setImage(definition, 'shop:new', 'worker').containerDefinitions[2].image).toBe('shop:new');
  });

  it('treats an empty name as no name', () => {
    expect(setImage(definition, 'shop:new', '').containerDefinitions[1].image).toBe('shop:new');
  });

  it('returns a new object and leaves the input alone', () => {
    const before = structuredClone(definition);
    const updated = setImage(definition, 'shop:new');
    updated.containerDefinitions[1].environment[0].value = 'changed';
    expect(definition).toEqual(before);
  });

  it('names container-name and lists the containers when the name is unknown', () => {
    expect(() => setImage(definition, 'shop:new', 'api')).toThrow(
      new InputError(['container-name: no container named "api" in the task definition. Expected one of: log-router, web, worker.']),
    );
  });

  it('asks for a name when no container is essential', () => {
    const none = { family: 'f', containerDefinitions: [{ name: 'a', image: 'x', essential: false }] };
    expect(() => setImage(none, 'y')).toThrow(/^container-name: the task definition has no essential container, so name one\. Expected one of: a\.$/);
  });
});

describe('selectContainer', () => {
  it('names the input it is told to', () => {
    expect(() => selectContainer(definition, 'nope', 'migration-container')).toThrow(/^migration-container: no container named "nope"/);
  });
});
