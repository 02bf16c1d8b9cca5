/** Task-level cpu/memory accept plain units or the `1 vCPU` / `2 GB` forms; ECS echoes plain units. */
export function normalizeCpu(value: unknown): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const text = String(value).trim();
  const vcpu = /^([\d.]+)\s*vcpu$/i.exec(text);
  return vcpu ? String(Math.round(Number(vcpu[1]) * 1024)) : text;
}

export function normalizeMemory(value: unknown): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const text = String(value).trim();
  const gb = /^([\d.]+)\s*gb$/i.exec(text);
  return gb ? String(Math.round(Number(gb[1]) * 1024)) : text;
}

const range = (from: number, to: number, step: number) =>
  Array.from({ length: (to - from) / step + 1 }, (_, i) => from + i * step);

const FARGATE_MEMORY_BY_CPU: Record<string, number[]> = {
  '256': [512, 1024, 2048],
  '512': range(1024, 4096, 1024),
  '1024': range(2048, 8192, 1024),
  '2048': range(4096, 16384, 1024),
  '4096': range(8192, 30720, 1024),
  '8192': range(16384, 61440, 4096),
  '16384': range(32768, 122880, 8192),
};

export function isFargateSize(cpu: string, memory: string): boolean {
  return FARGATE_MEMORY_BY_CPU[cpu]?.includes(Number(memory)) ?? false;
}
