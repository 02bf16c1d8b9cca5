import { InputError } from '../../src/shared/errors';

/** The problems of the InputError that `work` throws; a test failure when it throws nothing or something else. */
export function problemsOf(work: () => unknown): string[] {
  const problems = problemsIfAny(work);
  if (problems.length === 0) throw new Error('expected an InputError');
  return problems;
}

/** The problems of the InputError that `work` throws; none when it throws nothing. */
export function problemsIfAny(work: () => unknown): string[] {
  try {
    work();
  } catch (error) {
    if (error instanceof InputError) return error.problems;
    throw error;
  }
  return [];
}
