/** Everything a build needs, already resolved: tags are full references (`host/repo:tag`). */
export interface BuildPlan {
  context: string;
  dockerfile: string;
  tags: string[];
  buildArgs: Record<string, string>;
  labels: Record<string, string>;
  target?: string;
  platform?: string;
  cacheFrom: string[];
  cacheTo: string[];
}

function pairs(flag: string, values: Record<string, string>): string[] {
  return Object.entries(values).flatMap(([key, value]) => [flag, `${key}=${value}`]);
}

function each(flag: string, values: string[]): string[] {
  return values.flatMap((value) => [flag, value]);
}

function optional(flag: string, value: string | undefined): string[] {
  return value ? [flag, value] : [];
}

function common(plan: BuildPlan): string[] {
  return [
    '--file',
    plan.dockerfile,
    ...each('--tag', plan.tags),
    ...pairs('--build-arg', plan.buildArgs),
    ...pairs('--label', plan.labels),
    ...optional('--target', plan.target),
    ...optional('--platform', plan.platform),
  ];
}

/** `docker buildx build … --push`: builds and pushes every tag; the digest lands in the metadata file. */
export function buildxArgv(plan: BuildPlan, metadataFile: string): string[] {
  return [
    'buildx',
    'build',
    ...common(plan),
    ...each('--cache-from', plan.cacheFrom),
    ...each('--cache-to', plan.cacheTo),
    '--push',
    '--metadata-file',
    metadataFile,
    plan.context,
  ];
}

/** Classic `docker build`; `cacheImages` are local images (pulled beforehand) to take layers from. */
export function classicBuildArgv(plan: BuildPlan, cacheImages: string[]): string[] {
  return ['build', ...common(plan), ...each('--cache-from', cacheImages), plan.context];
}

/**
 * The image a buildx cache source names, for the classic builder, which can only reuse images:
 * `type=registry,ref=X` and a bare reference give X; other cache types (gha, local, s3…) give nothing.
 */
export function classicCacheImage(entry: string): string | undefined {
  if (!entry.includes('=')) return entry;
  const fields = Object.fromEntries(
    entry.split(',').map((field) => {
      const eq = field.indexOf('=');
      return eq < 0 ? [field.trim(), ''] : [field.slice(0, eq).trim(), field.slice(eq + 1).trim()];
    }),
  );
  return fields.type === 'registry' && fields.ref ? fields.ref : undefined;
}
