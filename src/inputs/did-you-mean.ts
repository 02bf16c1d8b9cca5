import { closestMatch } from 'leven';

/**
 * ` Did you mean "x"?` for a name that is a slip of one of `known` (a typo, a swapped or missing letter, the
 * wrong case), or '' when none is close: two edits (a swap is two), a third of a longer name's letters, never
 * more than 3; one edit for names of two letters.
 */
export function didYouMean(given: string, known: readonly string[], quote: (name: string) => string = (name) => `"${name}"`): string {
  const sameButCase = known.find((name) => name.toLowerCase() === given.toLowerCase());
  const maxDistance = given.length <= 2 ? 1 : Math.min(3, Math.max(2, Math.ceil(given.length / 3)));
  const match = sameButCase ?? closestMatch(given, known, { maxDistance });
  return match && match !== given ? ` Did you mean ${quote(match)}?` : '';
}
