import { partition } from '@aws-sdk/core/client';

/**
 * Whether the AWS SDK's own partition data (the endpoint rules every client resolves with) lists the
 * region: for a listed region `partition` adds its description, such as "Europe (Ireland)"; a name that
 * only looks like a region (`eu-wset-1`) gets none, and would fail only after DNS gave up on its endpoint.
 */
export function isKnownRegion(region: string): boolean {
  return typeof (partition(region) as { description?: unknown }).description === 'string';
}
