/** The whole app's goals, against the one-service run of the same world. */
export const APP_TARGETS = { readsRatio: 1.2, wallRatio: 1.3, lastEndToExitS: 2 };

/** The reads a run makes once per service, whatever the wait. */
export const ONCE_PER_SERVICE = 'one DescribeTaskDefinition each, to reuse a revision equal to the one it would register, once per run; the waits read them ten (DescribeServices) or twenty (DescribeServiceDeployments) to a call';
