import { randomBytes, randomInt, randomUUID } from 'node:crypto';

export const newTaskId = () => randomBytes(16).toString('hex');

export const newDeploymentId = () => {
  let digits = String(randomInt(1, 10));
  while (digits.length < 19) digits += String(randomInt(0, 10));
  return `ecs-svc/${digits}`;
};

export const newUuid = () => randomUUID();

export const newEniId = () => `eni-${randomBytes(8).toString('hex').slice(0, 17)}`;

export const newPrivateIp = () => `10.0.${randomInt(0, 256)}.${randomInt(2, 255)}`;

/** ECS and ECR timestamps travel as epoch seconds (fractional). */
export const epochSeconds = (ms: number) => ms / 1000;

export function encodePageToken(offset: number): string {
  return Buffer.from(JSON.stringify({ offset })).toString('base64');
}

export function decodePageToken(token: string | undefined): number | undefined {
  if (token === undefined) return 0;
  try {
    const offset = JSON.parse(Buffer.from(token, 'base64').toString('utf8')).offset;
    return Number.isInteger(offset) && offset >= 0 ? offset : undefined;
  } catch {
    return undefined;
  }
}
