import { didYouMean } from './did-you-mean';

// wait-until: how far a deploy (or a continue) follows the deployment before it returns.

/** ECS's lifecycle stages of a BLUE_GREEN, LINEAR or CANARY deployment, in the order a deployment goes through them. */
export const LIFECYCLE_STAGES = [
  'RECONCILE_SERVICE',
  'PRE_SCALE_UP',
  'SCALE_UP',
  'POST_SCALE_UP',
  'TEST_TRAFFIC_SHIFT',
  'POST_TEST_TRAFFIC_SHIFT',
  'PRE_PRODUCTION_TRAFFIC_SHIFT',
  'PRODUCTION_TRAFFIC_SHIFT',
  'POST_PRODUCTION_TRAFFIC_SHIFT',
  'BAKE_TIME',
  'CLEAN_UP',
] as const;

export type LifecycleStage = (typeof LIFECYCLE_STAGES)[number];
/** stable: to the end (the default); deployed: the update accepted, no wait; paused: until a PAUSE hook holds it; or a lifecycle stage. */
export type WaitUntil = 'stable' | 'deployed' | 'paused' | LifecycleStage;

const WORDS = ['stable', 'deployed', 'paused'] as const;

/** The wait-until value, or the problem with it (naming the input and what it expects). */
export function readWaitUntil(text: string): { value: WaitUntil } | { problem: string } {
  const given = text.trim();
  const word = WORDS.find((w) => w === given.toLowerCase());
  if (word) return { value: word };
  const stage = LIFECYCLE_STAGES.find((s) => s === given.toUpperCase().replace(/^ECS:/, '').replace(/-/g, '_'));
  if (stage) return { value: stage };
  const hint = didYouMean(given, [...WORDS, ...LIFECYCLE_STAGES]);
  return { problem: `wait-until: "${given}" is not a point a deploy can return at.${hint} Expected stable, deployed, paused, or a lifecycle stage: ${LIFECYCLE_STAGES.join(', ')}.` };
}

export const isStage = (value: WaitUntil): value is LifecycleStage => (LIFECYCLE_STAGES as readonly string[]).includes(value);

/** How far along `stage` is in a deployment's lifecycle; -1 when it is none of ECS's stages (or none yet). */
export const stageIndex = (stage: string | undefined) => (LIFECYCLE_STAGES as readonly string[]).indexOf(stage ?? '');
