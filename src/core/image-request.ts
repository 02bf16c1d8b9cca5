import { parseKeyValueLines, parseLines, parseList } from '../image/lines';
import type { Inputs } from '../inputs/parse';
import type { ImageRequest } from './image';

/** The image step's request from the inputs; problems name their input. */
export function imageRequest(inputs: Inputs): { request: ImageRequest; problems: string[] } {
  const buildArgs = parseKeyValueLines(inputs.buildArgs, 'build-args');
  const labels = parseKeyValueLines(inputs.labels, 'labels');
  const request: ImageRequest = {
    image: inputs.image,
    build: inputs.build,
    context: inputs.context,
    dockerfile: inputs.dockerfile || undefined,
    buildArgs: buildArgs.values,
    target: inputs.target || undefined,
    labels: labels.values,
    platform: inputs.platform || undefined,
    cacheFrom: parseLines(inputs.cacheFrom),
    cacheTo: parseLines(inputs.cacheTo),
    tags: parseList(inputs.tags),
    forceBuild: inputs.forceBuild,
  };
  return { request, problems: inputs.build ? [...buildArgs.problems, ...labels.problems] : [] };
}
