import { prefixedReporter } from '../../src/request/voice';
import { recordingReporter } from '../support/recording-reporter';


describe('prefixedReporter', () => {
  it('puts the service\'s prefix before every line of a message, continuation lines included', () => {
    const { reporter, log: lines } = recordingReporter();
    const web = prefixedReporter(reporter, 'web');

    web.info('A real run would:\n  1. register\n  2. update');
    web.warn('2 task(s) stopped:\n  task 1: exit 1');
    web.debug('a diff:\n\nthen more');

    expect(lines).toEqual([
      'info [web] A real run would:\n[web]   1. register\n[web]   2. update',
      'warn [web] 2 task(s) stopped:\n[web]   task 1: exit 1',
      'debug [web] a diff:\n[web]\n[web] then more',
    ]);
  });
});
