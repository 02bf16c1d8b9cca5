import type { ImageConfig } from './config-types';

/** The images so that each comes after those it uses (file order otherwise), or a cycle among them. */
export function imageOrder(images: ImageConfig[]): { images: ImageConfig[] } | { cycle: string[] } {
  const byName = new Map(images.map((i) => [i.name, i]));
  const done = new Set<string>();
  const order: ImageConfig[] = [];
  const visit = (image: ImageConfig, path: string[]): string[] | undefined => {
    if (done.has(image.name)) return undefined;
    if (path.includes(image.name)) return [...path.slice(path.indexOf(image.name)), image.name];
    for (const used of image.uses) {
      const cycle = visit(byName.get(used)!, [...path, image.name]);
      if (cycle) return cycle;
    }
    done.add(image.name);
    order.push(image);
    return undefined;
  };
  for (const image of images) {
    const cycle = visit(image, []);
    if (cycle) return { cycle };
  }
  return { images: order };
}
