import { invalidParameter } from '../errors';
import { decodePageToken, encodePageToken } from '../ids';

/** ECS list pagination: maxResults 1..100, opaque nextToken. */
export function paginate(items: string[], input: any, key: string, defaultPageSize = 100): any {
  const offset = decodePageToken(input.nextToken);
  if (offset === undefined) throw invalidParameter('Invalid nextToken.');
  const pageSize = input.maxResults ?? defaultPageSize;
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 100) {
    throw invalidParameter('maxResults must be between 1 and 100.');
  }
  const page = items.slice(offset, offset + pageSize);
  const result: any = { [key]: page };
  if (offset + pageSize < items.length) result.nextToken = encodePageToken(offset + pageSize);
  return result;
}
