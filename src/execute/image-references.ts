import type { ImageRequest } from '../request/image-request';

/** The request with `${IMAGE_<NAME>}` in its build args and labels replaced by the references of images built before it. */
export function withImageReferences(request: ImageRequest, references: Record<string, string>): ImageRequest {
  const fill = (values: Record<string, string>) =>
    Object.fromEntries(Object.entries(values).map(([key, value]) => [key, value.replace(/\$\{(IMAGE_[A-Z0-9_]+)\}/g, (whole, name: string) => references[name] ?? whole)]));
  return { ...request, buildArgs: fill(request.buildArgs), labels: fill(request.labels) };
}
