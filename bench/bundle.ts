import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

export interface BundleSize {
  totalBytes: number;
  files: number;
  largest: Array<{ file: string; bytes: number }>;
  /** What the bundle is made of (the build's bundles/dist-parts.json, next to the dist/ measured), largest first. */
  parts: Array<{ name: string; bytes: number }>;
}

/** Every file under `dir`, sizes added up. */
export function bundleSize(dir: string): BundleSize {
  const files: Array<{ file: string; bytes: number }> = [];
  const walk = (at: string) => {
    for (const entry of readdirSync(at, { withFileTypes: true })) {
      const path = join(at, entry.name);
      if (entry.isDirectory()) walk(path);
      else files.push({ file: relative(dir, path), bytes: statSync(path).size });
    }
  };
  walk(dir);
  files.sort((a, b) => b.bytes - a.bytes);
  const partsFile = join(dir, '../bundles/dist-parts.json');
  const parts = existsSync(partsFile) ? (JSON.parse(readFileSync(partsFile, 'utf8')) as BundleSize['parts']).slice(0, 6) : [];
  return { totalBytes: files.reduce((sum, f) => sum + f.bytes, 0), files: files.length, largest: files.slice(0, 4), parts };
}
