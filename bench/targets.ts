/** The whole app's goals, against the one-service run of the same world. */
export const APP_TARGETS = { pollReadsRatio: 1.2, wallRatio: 1.3, lastEndToExitS: 2 };
