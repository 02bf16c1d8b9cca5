/** The p-th percentile (0–100) by linear interpolation between the closest ranks; NaN when empty. */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (p / 100) * (sorted.length - 1);
  const low = Math.floor(rank);
  const high = Math.ceil(rank);
  return sorted[low] + (sorted[high] - sorted[low]) * (rank - low);
}

export const median = (values: number[]) => percentile(values, 50);

export function summary(values: number[]): { n: number; p50: number; p95: number; max: number } {
  return { n: values.length, p50: percentile(values, 50), p95: percentile(values, 95), max: values.length ? values.reduce((a, b) => Math.max(a, b), -Infinity) : NaN };
}

export const round = (value: number, digits = 0) => (Number.isFinite(value) ? Number(value.toFixed(digits)) : value);
