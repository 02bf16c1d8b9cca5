import { redeployProblems } from '../../src/request/known-revision-inputs';
import { helpText, parseCliArgs, verbHelpText } from '../../src/frontends/cli-args';
import { inWording } from '../../src/inputs/spelling';
import { INPUTS, inputsOf } from '../../src/inputs/schema';

/** The options of deploy (the command is the CLI's first word, not an option; hook-id and the like are other commands'). */
const CLI_OPTIONS = inputsOf('deploy').filter((spec) => spec.name !== 'command');
import { problemsOf } from '../support/problems';

const valueOf = (argv: string[], name: string) => {
  const command = parseCliArgs(argv);
  if (command.kind !== 'run') throw new Error(`expected a command to run, got ${command.kind}`);
  return command.raw(INPUTS.find((spec) => spec.name === name)!);
};

describe('the CLI arguments', () => {
  test('-h and -v where an option may stand are help and the version; as the value of an option, they are that value', () => {
    expect(parseCliArgs(['-h']).kind).toBe('help');
    expect(parseCliArgs(['deploy', '--cluster', 'prod', '--version']).kind).toBe('version');
    expect(parseCliArgs(['-V']).kind).toBe('version');
    expect(valueOf(['deploy', '--container-name', '-h', '--target=-v'], 'container-name')).toBe('-h');
    expect(valueOf(['deploy', '--container-name', '-h', '--target=-v'], 'target')).toBe('-v');
  });

  test('a word after a true/false option is its value, so a wrong one is named by the input checks', () => {
    expect(valueOf(['deploy', '--build', 'maybe'], 'build')).toBe('maybe');
    expect(valueOf(['deploy', '--build', '--dry-run'], 'build')).toBe('true');
    expect(valueOf(['deploy', '--no-build'], 'build')).toBe('false');
  });

  test('the words that are not options name the services of the config file; redeploy is deploy --redeploy; --env is --environment', () => {
    expect(valueOf(['deploy', 'web', '--wait', 'false', 'worker'], 'services')).toBe('web\nworker');
    expect(valueOf(['deploy', 'web', '--wait', 'false', 'worker'], 'wait')).toBe('false');
    expect(valueOf(['redeploy', '--env', 'dev', 'web'], 'redeploy')).toBe('true');
    expect(valueOf(['redeploy', '--env', 'dev', 'web'], 'environment')).toBe('dev');
    expect(valueOf(['deploy', 'web'], 'redeploy')).toBeUndefined();
  });

  test('every problem comes at once; the value of an unknown option is not a second problem', () => {
    expect(problemsOf(() => parseCliArgs(['deploy', '--clutser', 'prod', '--no-cluster', '--wait', '--wait', '--service']))).toEqual([
      'unknown option "--clutser". Did you mean "--cluster"? See ecs-ship deploy --help for the options.',
      '--no-cluster: only true/false options can be negated.',
      '--wait: given more than once.',
      '--service: expected a value after it.',
    ]);
  });
});

describe('ecs-ship run … -- COMMAND', () => {
  test('the words after -- are the task command as given, options among them included; SERVICE before it names the service', () => {
    const argv = ['run', 'web', '--env', 'prod', '--env-var', 'A=1', '--', 'rake', 'db:seed', '--trace', 'a b'];
    expect(JSON.parse(valueOf(argv, 'task-command')!)).toEqual(['rake', 'db:seed', '--trace', 'a b']);
    expect(valueOf(argv, 'services')).toBe('web');
    expect(valueOf(argv, 'env-vars')).toBe('A=1');
  });

  test('a command after -- is refused where the verb runs none, and -- with nothing after it is a problem', () => {
    expect(problemsOf(() => parseCliArgs(['deploy', '--', 'x']))).toEqual(['deploy: takes no command after --.']);
    expect(problemsOf(() => parseCliArgs(['run', 'web', '--']))).toEqual(['--: expected the command after it (ecs-ship run SERVICE -- COMMAND [ARGS…]).']);
  });
});

describe('did you mean', () => {
  test('a misspelt option, its --no- and =value kept; an alias too; nothing for a word that is no slip', () => {
    expect(problemsOf(() => parseCliArgs(['deploy', '--no-wiat', '--imgae=web:1', '--evn', 'dev', '--frobnicate']))).toEqual([
      'unknown option "--no-wiat". Did you mean "--no-wait"? See ecs-ship deploy --help for the options.',
      'unknown option "--imgae=web:1". Did you mean "--image=web:1"? See ecs-ship deploy --help for the options.',
      'unknown option "--evn". Did you mean "--env"? See ecs-ship deploy --help for the options.',
      'unknown option "--frobnicate". See ecs-ship deploy --help for the options.',
    ]);
  });

  test('--no- is offered only for true/false options', () => {
    expect(problemsOf(() => parseCliArgs(['deploy', '--no-clustr']))).toEqual(['unknown option "--no-clustr". See ecs-ship deploy --help for the options.']);
  });

  test('a misspelt command, and a misspelt command after help', () => {
    expect(problemsOf(() => parseCliArgs(['deplyo']))[0]).toMatch(/^unknown command "deplyo"\. Did you mean "deploy"\? Expected: /);
    expect(problemsOf(() => parseCliArgs(['help', 'redeplyo']))[0]).toMatch(/^help: "redeplyo" is not a command\. Did you mean "redeploy"\? Expected: /);
  });
});

describe('help and the version', () => {
  test('ecs-ship, ecs-ship help, -h and --help are the general help; help VERB and VERB --help are the verb\'s', () => {
    for (const argv of [[], ['help'], ['-h'], ['--help']]) expect(parseCliArgs(argv)).toEqual({ kind: 'help' });
    expect(parseCliArgs(['help', 'deploy'])).toEqual({ kind: 'help', verb: 'deploy' });
    expect(parseCliArgs(['deploy', '--cluster', 'prod', '--help'])).toEqual({ kind: 'help', verb: 'deploy' });
    expect(parseCliArgs(['redeploy', '-h'])).toEqual({ kind: 'help', verb: 'redeploy' });
    for (const argv of [['-V'], ['-v'], ['--version'], ['deploy', '-V']]) expect(parseCliArgs(argv)).toEqual({ kind: 'version' });
  });

  test('the general help lists the commands, points to the options, and its examples use --env', () => {
    const text = helpText('1.2.3');
    expect(text).toMatch(/^Commands:\n {2}deploy +\S/m);
    expect(text).toMatch(/^ {2}redeploy +Restart/m);
    expect(text).toMatch(/^ {2}help \[COMMAND\] +/m);
    expect(text).toContain('ecs-ship deploy --help');
    expect(text).toMatch(/^ {2}ecs-ship redeploy --env dev web worker$/m);
    expect(text).toMatch(/^ {2}run +Run a one-off task/m);
    expect(text).toMatch(/^ {2}build +Build and push/m);
    // Seven commands, one line each, and an example for most.
    expect(text.split('\n').length).toBeLessThan(50);
  });
});

describe('deploy --help: the options by topic', () => {
  const text = verbHelpText('deploy', '1.2.3');
  const headings = text.split('\n').filter((line) => /^[A-Z][\w -]+:$/.test(line));

  test('the topics, in order, and every option under exactly one of them', () => {
    expect(headings).toEqual(['What to deploy:', 'Build:', 'Task-definition template:', 'Migration:', 'Rollout:', 'Housekeeping:', 'Output:', 'Exit codes:', 'Examples:']);
    for (const spec of CLI_OPTIONS) expect(text.match(new RegExp(`^ {2}(--\\w+, )?--${spec.name} <`, 'gm'))).toHaveLength(1);
    const section = (title: string) => text.split(`${title}:\n`)[1].split('\n\n')[0];
    expect(section('Build')).toMatch(/--force-build/);
    expect(section('Migration')).toMatch(/--migration-command/);
    expect(section('Rollout')).toMatch(/--rollback /);
    expect(section('Housekeeping')).toMatch(/--keep-revisions/);
    expect(section('Output')).toMatch(/--dry-run[\s\S]*-h, --help[\s\S]*-V, --version/);
  });

  test('shows the --env alias beside --environment, and its examples use it', () => {
    expect(text).toMatch(/^ {2}--env, --environment <string> +The config file's environment/m);
    expect(text).toMatch(/^ {2}ecs-ship deploy --env staging web worker/m);
  });

  test('redeploy --help lists no option a redeploy refuses, and keeps those it takes', () => {
    const redeploy = verbHelpText('redeploy', '1.2.3');
    const listed = INPUTS.filter((spec) => new RegExp(`^ {2}(--\\w+, )?--${spec.name} <`, 'm').test(redeploy)).map((spec) => spec.name);
    expect(listed).toEqual(expect.arrayContaining(['cluster', 'service', 'environment', 'wait', 'rollback', 'dry-run']));
    const refused = inWording({ spelling: 'cli' }, () => INPUTS.map((spec) => spec.name).filter((name) => name !== 'redeploy' && redeployProblems((given) => given === name).length > 0));
    expect(refused.length).toBeGreaterThan(5);
    expect(listed.filter((name) => refused.includes(name) || name === 'redeploy')).toEqual([]);
    expect(redeploy).toMatch(/^ {2}ecs-ship redeploy --env dev web worker$/m);
  });

  test('every line fits in 100 columns, and the descriptions share one column across the topics', () => {
    const optionLines = text.split('\n').filter((line) => /^ {2}-/.test(line));
    const column = (line: string) => /^ {2}\S+(?: \S+)* {2,}/.exec(line)?.[0].length;
    expect(new Set(optionLines.map(column)).size).toBe(1);
    for (const line of text.split('\n')) expect(line.length).toBeLessThanOrEqual(100);
  });
});

describe('--help', () => {
  const lines = verbHelpText('deploy', '1.2.3').split('\n');
  const optionLines = lines.filter((line) => /^ {2}-/.test(line));

  test('aligns the descriptions of every option, -h and -v included, in one column', () => {
    const column = (line: string) => /^ {2}\S+(?: \S+)* {2,}/.exec(line)?.[0].length;
    expect(new Set(optionLines.map(column)).size).toBe(1);
    expect(optionLines.some((line) => line.startsWith('  -h, --help'))).toBe(true);
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(100);
  });

  test('says each default once', () => {
    for (const spec of CLI_OPTIONS) {
      const text = helpOf(lines, spec.name);
      expect(text.match(/\bdefault\b/gi)?.length ?? 0).toBeLessThanOrEqual(1);
      if (spec.default) expect(text).toMatch(/Default: /);
    }
  });

  test('lists every exit code, 130 and 143 included, and ends with an example', () => {
    const codes = lines.slice(lines.indexOf('Exit codes:') + 1).filter((line) => /^ {2}\d+ /.test(line)).map((line) => line.trim().split(' ')[0]);
    expect(codes).toEqual(['0', '1', '2', '130', '143']);
    const example = lines.slice(lines.indexOf('Examples:') + 1).join('\n');
    expect(lines.indexOf('Examples:')).toBeGreaterThan(lines.indexOf('Exit codes:'));
    expect(example).toMatch(/^ {2}ecs-ship deploy --cluster \S+ --service \S+ --image \S+/);
  });
});

/** An option's description in the help, its continuation lines joined. */
function helpOf(lines: string[], name: string): string {
  const start = lines.findIndex((line) => line.startsWith(`  --${name} <`));
  const rest = lines.slice(start + 1);
  const end = rest.findIndex((line) => !/^ {4,}\S/.test(line));
  return [lines[start], ...rest.slice(0, end)].join(' ');
}
