#!/usr/bin/env node
import { InputError } from './shared/errors';
import { helpText, parseCliArgs, verbHelpText } from './frontends/cli-args';
import { detectPlatform } from './frontends/detect';
import type { FrontEnd } from './frontends/frontend';
import { nodeVersionProblem } from './shared/node-version';

declare const __VERSION__: string;
/** package.json's engines.node floor, set by the build. */
declare const __NODE_FLOOR__: number;

/** The deploy itself (and the AWS SDK with it) loads only when a run needs it: --help and --version stay quick. */
async function run(frontEnd: FrontEnd, env: NodeJS.ProcessEnv): Promise<number> {
  return (await import('./run')).run(frontEnd, env);
}

async function main(): Promise<number> {
  const tooOld = nodeVersionProblem(process.versions.node, __NODE_FLOOR__);
  if (tooOld) {
    process.stderr.write(`ecs-ship: ${tooOld}\n`);
    return 2;
  }
  const env = process.env;
  const argv = process.argv.slice(2);
  // Arguments mean a person (or a script step in any CI) ran the CLI; the runner and the pipe pass none.
  if (argv.length > 0) return runCli(argv, env);
  switch (detectPlatform(env)) {
    case 'github': {
      // The runner sets STATE_isPost in the post step; the main step sets it for that step.
      if (env.STATE_isPost === 'true') return (await import('./frontends/github-post')).githubPost(env);
      const github = await import('./frontends/github');
      github.markMainStepDone();
      return run(github.githubFrontEnd(), env);
    }
    case 'bitbucket':
      return run((await import('./frontends/bitbucket')).bitbucketFrontEnd(env), env);
    default:
      return runCli(argv, env);
  }
}

async function runCli(argv: string[], env: NodeJS.ProcessEnv): Promise<number> {
  let command;
  try {
    command = parseCliArgs(argv);
  } catch (error) {
    process.stderr.write(`ecs-ship: ${(error as InputError).message}\n`);
    return 2;
  }
  if (command.kind === 'help') process.stdout.write(`${command.verb ? verbHelpText(command.verb, __VERSION__) : helpText(__VERSION__)}\n`);
  if (command.kind === 'version') process.stdout.write(`${__VERSION__}\n`);
  if (command.kind === 'simulator') return (await import('../simulator/front-door')).runSimulatorCommand(command.argv, env);
  if (command.kind !== 'run') return 0;
  const frontEnd: FrontEnd = (await import('./frontends/cli')).cliFrontEnd(command.raw, env);
  return run(frontEnd, env);
}

main().then(
  (code) => (process.exitCode = code),
  (error: Error) => {
    process.stderr.write(`ecs-ship: unexpected failure: ${error?.message ?? error}\n`);
    process.exitCode = 1;
  },
);
