/** An error answered to the client as `{"__type": type, "message": message}` with the given HTTP status. */
export class AwsError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

export const clientException = (message: string) => new AwsError('ClientException', message);
export const invalidParameter = (message: string) => new AwsError('InvalidParameterException', message);
export const clusterNotFound = () => new AwsError('ClusterNotFoundException', 'Cluster not found.');
export const serviceNotFound = () => new AwsError('ServiceNotFoundException', 'Service not found.');
export const serviceNotActive = () => new AwsError('ServiceNotActiveException', 'Service was not ACTIVE.');
