import { buildLookup, listPlaceholders, renderString, renderTaskDefinition } from '../../src/taskdef/render';
import { problemsOf } from '../support/problems';

const from = (vars: Record<string, string>) => buildLookup([vars]);

describe('renderString', () => {
  it('replaces placeholders, several per string', () => {
    expect(renderString('${REPO}:${TAG}', from({ REPO: 'app', TAG: 'v1' }))).toBe('app:v1');
  });

  it('turns $${ into a literal ${ without looking the name up', () => {
    expect(renderString('sh -c "echo $${HOME} $${HOME:-x}"', from({}))).toBe('sh -c "echo ${HOME} ${HOME:-x}"');
    expect(renderString('$$${TAG}', from({ TAG: 'v1' }))).toBe('$${TAG}');
  });

  it('leaves what is not a placeholder as written', () => {
    const text = '$HOME ${1} ${A-B} ${ A } ${A:-x} $ {A} $(id) ${';
    expect(renderString(text, from({}))).toBe(text);
  });

  it('inserts values verbatim, $ patterns included', () => {
    expect(renderString('${V}', from({ V: "$& $1 $$ ${OTHER} '\"" }))).toBe("$& $1 $$ ${OTHER} '\"");
  });

  it('treats an empty value as defined', () => {
    expect(renderString('a${EMPTY}b', from({ EMPTY: '' }))).toBe('ab');
  });

  it('reports every unresolved name at once, sorted and unique', () => {
    expect(problemsOf(() => renderString('${TAG} ${DB_HOST} ${TAG} ${OK}', from({ OK: '1' })))).toEqual([
      'task-definition: unresolved placeholders ${DB_HOST}, ${TAG} (define them in vars, vars-file or the environment; write $${NAME} for a literal ${NAME})',
    ]);
    expect(problemsOf(() => renderString('${ONE}', from({}), 'vars'))[0]).toMatch(/^vars: unresolved placeholder \$\{ONE\} /);
  });
});

describe('renderTaskDefinition', () => {
  const template = {
    family: '${APP}-web',
    containerDefinitions: [
      {
        name: 'web',
        image: '${IMAGE}',
        command: ['sh', '-c', 'echo $${PATH} && ${START}'],
        environment: [{ name: 'DB_URL', value: '${DB_URL}' }],
        secrets: [{ name: 'PASSWORD', valueFrom: 'arn:aws:ssm:eu-west-1:123456789012:parameter/${APP}/password' }],
        dockerLabels: { '${APP}.team': 'web' },
      },
    ],
  };

  it('renders every string of the tree, map keys and secrets included, without touching the input', () => {
    const before = structuredClone(template);
    const rendered = renderTaskDefinition(template, from({ APP: 'shop', IMAGE: 'repo/shop:1', START: 'node server.js', DB_URL: 'postgres://h/db' }));
    expect(rendered).toEqual({
      family: 'shop-web',
      containerDefinitions: [
        {
          name: 'web',
          image: 'repo/shop:1',
          command: ['sh', '-c', 'echo ${PATH} && node server.js'],
          environment: [{ name: 'DB_URL', value: 'postgres://h/db' }],
          secrets: [{ name: 'PASSWORD', valueFrom: 'arn:aws:ssm:eu-west-1:123456789012:parameter/shop/password' }],
          dockerLabels: { 'shop.team': 'web' },
        },
      ],
    });
    expect(template).toEqual(before);
  });

  it('reports all unresolved names of the whole tree in one problem', () => {
    expect(problemsOf(() => renderTaskDefinition(template, from({ APP: 'shop' })))).toEqual([
      'task-definition: unresolved placeholders ${DB_URL}, ${IMAGE}, ${START} (define them in vars, vars-file or the environment; write $${NAME} for a literal ${NAME})',
    ]);
  });

  it('gives typed fields their API types after rendering', () => {
    const rendered = renderTaskDefinition(
      {
        family: 'web',
        cpu: 256,
        memory: '${MEMORY}',
        containerDefinitions: [
          {
            name: 'web',
            image: 'x',
            essential: '${ESSENTIAL}',
            portMappings: [{ containerPort: '${PORT}' }],
            environment: [{ name: 'PORT', value: '${PORT}' }],
          },
        ],
      },
      from({ MEMORY: '512', PORT: '8080', ESSENTIAL: 'true' }),
    );
    expect(rendered).toMatchObject({
      cpu: '256',
      memory: '512',
      containerDefinitions: [{ essential: true, portMappings: [{ containerPort: 8080 }], environment: [{ value: '8080' }] }],
    });
  });

  it('reports a typed field that did not render to its type', () => {
    const definition = { family: 'web', containerDefinitions: [{ name: 'web', image: 'x', portMappings: [{ containerPort: '${PORT}' }] }] };
    expect(problemsOf(() => renderTaskDefinition(definition, from({ PORT: 'http' })))).toEqual([
      'task-definition: containerDefinitions[0].portMappings[0].containerPort must be an integer, got "http".',
    ]);
  });
});

describe('listPlaceholders', () => {
  it('lists names used anywhere, not escaped ones', () => {
    expect(listPlaceholders({ a: ['${IMAGE}', '$${HOME}'], b: { '${KEY}': '${TAG}${IMAGE}' }, n: 1 })).toEqual(['IMAGE', 'KEY', 'TAG']);
  });
});

describe('buildLookup', () => {
  it('takes the first source that defines a name', () => {
    const lookup = buildLookup([{ TAG: 'from-vars' }, { TAG: 'from-file', REGION: 'eu-west-1' }, { TAG: 'env', HOME: '/root', UNSET: undefined }]);
    expect(lookup('TAG')).toBe('from-vars');
    expect(lookup('REGION')).toBe('eu-west-1');
    expect(lookup('HOME')).toBe('/root');
    expect(lookup('UNSET')).toBeUndefined();
    expect(lookup('MISSING')).toBeUndefined();
  });

  it('lets an empty value win over a later source', () => {
    expect(buildLookup([{ TAG: '' }, { TAG: 'later' }])('TAG')).toBe('');
  });

  it('does not find Object.prototype members', () => {
    const lookup = buildLookup([{}]);
    expect(lookup('constructor')).toBeUndefined();
    expect(lookup('toString')).toBeUndefined();
    expect(() => renderString('${constructor}', lookup)).toThrow(/unresolved placeholder \$\{constructor\}/);
  });
});
