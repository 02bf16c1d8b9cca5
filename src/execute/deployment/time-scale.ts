/**
 * ECS_SHIP_TIME_SCALE=N says the AWS ecs-ship talks to runs ECS's time N times faster than real time, as
 * the simulator does (`ecs-ship simulator` prints the variable with its other settings). AWS itself runs
 * in real time, so the variable counts only with a stand-in endpoint (AWS_ENDPOINT_URL). It shortens the
 * waits ecs-ship chooses in ECS's time (the bake); timeouts are bounds, not waits, and stay as given.
 */
export interface TimeScale {
  /** 1 on AWS itself. */
  factor: number;
  /** Why the variable was set and is not used. */
  ignored?: string;
}

export const TIME_SCALE_VARIABLE = 'ECS_SHIP_TIME_SCALE';

export function timeScale(env: NodeJS.ProcessEnv = process.env): TimeScale {
  const given = env[TIME_SCALE_VARIABLE]?.trim();
  if (!given) return { factor: 1 };
  const factor = Number(given);
  if (!(factor > 0) || !Number.isFinite(factor)) return { factor: 1, ignored: `${TIME_SCALE_VARIABLE} is "${given}", not a positive number` };
  if (!(env.AWS_ENDPOINT_URL_ECS || env.AWS_ENDPOINT_URL)) return { factor: 1, ignored: `${TIME_SCALE_VARIABLE} counts only with a stand-in for AWS (AWS_ENDPOINT_URL); AWS runs in real time` };
  return { factor };
}
