// build: the images built and pushed (or reused when the registry has their tag), in dependency order,
// without deploying; a later deploy of the same commit or tag finds them and builds nothing.
import { newLedger } from '../execute/ledger';
import { carryOutImage } from '../execute/images';
import { withImageReferences } from '../execute/image-references';
import { phaseOf, redacted, type DeployDeps } from '../execute/run-deps';
import { withConfigFile } from '../inputs/spelling';
import { planImage, unknownAccount } from '../plan/image-plan';
import { readBuildRequest, type BuildRequest } from '../request/build-request';
import type { Verb } from './verb';

export const build: Verb = async (raw, env) => {
  const request = await readBuildRequest(raw, env);
  const ledger = newLedger('', '', request.region, env);
  ledger.verb = 'build';
  const summary = { config: request.file, environment: request.environment, images: request.images.map(({ name, request: r }) => ({ name, image: r.image, tag: r.releaseTag, tags: r.tags })) };
  return { ledger, region: request.region, request: summary, execute: (deps) => withConfigFile(request.file, () => redacted(deps, (redactedDeps) => buildAll(request, redactedDeps))) };
};

async function buildAll(request: BuildRequest, deps: DeployDeps): Promise<void> {
  const phase = phaseOf(deps);
  const ledger = deps.record;
  const built = (ledger.builtImages = [] as NonNullable<typeof ledger.builtImages>);
  const imageDeps = async () => ({ ecr: await deps.aws.ecr(), reporter: deps.reporter, env: deps.env, region: deps.aws.region, accountId: unknownAccount, signal: deps.signal });
  const single = request.images.length === 1 && !request.file;
  for (const image of request.images) {
    // An image's build args get the references of those built before it (the config file's order).
    const references = Object.fromEntries(request.images.filter((i) => i.placeholder && built.some((b) => b.name === i.name)).map((i) => [i.placeholder!, built.find((b) => b.name === i.name)!.reference]));
    const withReferences = withImageReferences(image.request, references);
    const result = await phase(single ? 'Image' : `Image ${image.name}`, async () => carryOutImage(await planImage(withReferences, await imageDeps()), await imageDeps(), withReferences));
    built.push({ name: image.name, reference: result.reference, tagged: result.tagged, digest: result.digest, built: result.built });
    deps.signal?.throwIfAborted();
  }
  const [first] = built;
  ledger.image = first.reference;
  ledger.imageDigest = first.digest;
  ledger.imageBuilt = first.built;
  ledger.doneLine = built.map((b) => `${b.built ? 'Built and pushed' : 'Reused'} ${b.tagged} (${b.digest ?? b.reference}).`).join(' ');
  ledger.outcome = 'deployed';
}
