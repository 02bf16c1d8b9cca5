#!/usr/bin/env node
import { run } from './run';

async function main(): Promise<void> {
  const { githubFrontEnd } = await import('./frontends/github');
  process.exitCode = await run(githubFrontEnd(), process.env);
}

void main();
