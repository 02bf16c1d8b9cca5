// keep-images, decided: of a repository's images, those beyond the newest N by push time go, unless
// something still uses them (an ACTIVE revision of a family the run deploys, a running task). Pure.
import type { RepositoryImage } from '../aws/ecr';

/** An image reference something uses, with who: `host/repo@sha256:…` or `host/repo:tag`. */
export interface ImageInUse {
  digest?: string;
  tag?: string;
  why: string;
}

export interface ImageSelection {
  keep: number;
  /** The newest `keep`, by push time. */
  newest: string[];
  /** Older images something uses, each with the first reason found. */
  inUse: Array<{ digest: string; why: string }>;
  /** What goes, oldest first. */
  remove: string[];
}

export function selectImages(images: RepositoryImage[], keep: number, used: ImageInUse[]): ImageSelection {
  const byAge = [...images].sort((a, b) => b.pushedAt - a.pushedAt || a.digest.localeCompare(b.digest));
  const newest = byAge.slice(0, keep).map((image) => image.digest);
  const inUse: ImageSelection['inUse'] = [];
  const remove: string[] = [];
  for (const image of byAge.slice(keep)) {
    const use = used.find((u) => u.digest === image.digest || (u.tag !== undefined && image.tags.includes(u.tag)));
    if (use) inUse.push({ digest: image.digest, why: use.why });
    else remove.push(image.digest);
  }
  return { keep, newest, inUse, remove: remove.reverse() };
}
