// An SSM reference may select a version or a label: `/prod/db:3`, `…:parameter/prod/db:live` (SSM
// GetParameters: "name:version", "name:label"). Parameter names hold no colon, so the last one starts it.

export interface ParameterSelection {
  name: string;
  version?: number;
  label?: string;
}

/** `name` as DescribeParameters knows it (`/prod/db`, or `db` for a parameter at the root), and what it selects. */
export function parameterSelection(path: string): ParameterSelection {
  const colon = path.lastIndexOf(':');
  if (colon < 0) return { name: path };
  const [name, selector] = [path.slice(0, colon), path.slice(colon + 1)];
  return /^\d+$/.test(selector) ? { name, version: Number(selector) } : { name, label: selector };
}
