// Which revisions keep-revisions deregisters: pure, so that what is kept can be proven without AWS.

/** A revision that must stay ACTIVE, and why ("service api runs it"). `arn`: an ARN or `family:revision`. */
export interface InUseRevision {
  arn: string;
  why: string;
}

export interface PruneSelection {
  family: string;
  keep: number;
  /** The newest `keep` revisions (or fewer, with a revision still to be registered). */
  newest: string[];
  /** Beyond the newest, but in use: kept, with every reason. */
  inUse: InUseRevision[];
  /** Newest first. */
  deregister: string[];
}

export interface SelectionRequest {
  family: string;
  keep: number;
  /** The ACTIVE revisions listed; those of other families (a familyPrefix match) are left out here. */
  active: string[];
  inUse: InUseRevision[];
  /** A revision is still to be registered (a dry run): it takes one of the `keep` places. */
  newRevisionPending?: boolean;
}

/** `family:revision`, from an ARN or from `family:revision`. */
export function revisionKey(reference: string): string {
  return reference.replace(/^arn:[^:]+:ecs:[^:]*:\d*:task-definition\//, '');
}

function parsed(reference: string): { family: string; revision: number } | undefined {
  const match = /^(.+):(\d+)$/.exec(revisionKey(reference));
  return match ? { family: match[1], revision: Number(match[2]) } : undefined;
}

export function familyOf(reference: string): string | undefined {
  return parsed(reference)?.family;
}

export function selectRevisions({ family, keep, active, inUse, newRevisionPending }: SelectionRequest): PruneSelection {
  const ofFamily = [...new Set(active)]
    .map((arn) => ({ arn, revision: parsed(arn) }))
    .filter((entry) => entry.revision?.family === family)
    .sort((a, b) => b.revision!.revision - a.revision!.revision)
    .map((entry) => entry.arn);
  const places = Math.max(0, keep - (newRevisionPending ? 1 : 0));
  const reasons = new Map<string, string[]>();
  for (const { arn, why } of inUse) reasons.set(revisionKey(arn), [...(reasons.get(revisionKey(arn)) ?? []), why]);
  const selection: PruneSelection = { family, keep, newest: ofFamily.slice(0, places), inUse: [], deregister: [] };
  for (const arn of ofFamily.slice(places)) {
    const why = reasons.get(revisionKey(arn));
    if (why) selection.inUse.push({ arn, why: [...new Set(why)].join('; ') });
    else selection.deregister.push(arn);
  }
  return selection;
}
