import { timeScale } from '../../src/execute/deployment/time-scale';

describe('ECS_SHIP_TIME_SCALE', () => {
  const endpoint = { AWS_ENDPOINT_URL: 'http://127.0.0.1:4566' };

  test('with a stand-in endpoint, ecs-ship\'s waits in ECS time run that many times faster', () => {
    expect(timeScale({ ...endpoint, ECS_SHIP_TIME_SCALE: '60' })).toEqual({ factor: 60 });
    expect(timeScale({ AWS_ENDPOINT_URL_ECS: 'http://127.0.0.1:4566', ECS_SHIP_TIME_SCALE: '0.5' })).toEqual({ factor: 0.5 });
    expect(timeScale(endpoint)).toEqual({ factor: 1 });
  });

  test('on AWS itself (no endpoint), or with a value that is no positive number, it is ignored and says why', () => {
    expect(timeScale({ ECS_SHIP_TIME_SCALE: '60' })).toEqual({ factor: 1, ignored: expect.stringContaining('counts only with a stand-in for AWS (AWS_ENDPOINT_URL)') });
    for (const value of ['fast', '0', '-60', 'Infinity']) {
      expect(timeScale({ ...endpoint, ECS_SHIP_TIME_SCALE: value })).toEqual({ factor: 1, ignored: `ECS_SHIP_TIME_SCALE is "${value}", not a positive number` });
    }
  });
});
