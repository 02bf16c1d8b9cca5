/**
 * The Node.js major ecs-ship needs (package.json's engines, which follows the bundled AWS SDK's floor).
 * Checked first, before anything loads the SDK: one line naming both versions instead of the SDK's warning.
 */
export function nodeVersionProblem(found: string, floor: number): string | undefined {
  const major = Number(/^v?(\d+)\./.exec(found)?.[1]);
  if (major >= floor) return undefined;
  return `Node.js ${found.replace(/^v/, '')} is too old: ecs-ship needs Node.js ${floor} or later. Nothing was changed. Run it with Node.js ${floor}+ (or use the GitHub Action or the Bitbucket Pipe, which bring their own Node.js).`;
}
