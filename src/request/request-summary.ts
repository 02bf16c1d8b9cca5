// The request as the report file keeps it: what the run was asked, without the values of vars and build
// args (a var may be secret; the report names them, and the task definition has what ECS was given).
import { parseKeyValueLines } from '../image/lines';
import type { Inputs } from '../inputs/parse';
import type { App } from './read-request';

export function requestSummary(app: App): Record<string, unknown> {
  return {
    config: app.file,
    environment: app.environment,
    migration: app.migration,
    images: app.images.map(({ name, request }) => ({ name, image: request.image, build: request.build, tags: request.tags, buildArgs: Object.keys(request.buildArgs) })),
    services: app.services.map(({ name, image, inputs }) => ({ name, image, inputs: withoutValues(inputs) })),
  };
}

function withoutValues(inputs: Inputs): Record<string, unknown> {
  const { vars, buildArgs, runSecretVars: _all, ...rest } = inputs;
  return { ...rest, vars: Object.keys(parseKeyValueLines(vars, 'vars').values), buildArgs: Object.keys(parseKeyValueLines(buildArgs, 'build-args').values) };
}
