/**
 * Tests are TypeScript transpiled by ts-jest to CommonJS (no type-check here: `npm run typecheck` does that).
 * The ESM-only @actions packages and leven are transpiled the same way. jest 29 and ts-jest are pure JavaScript, so
 * the lockfile installs anywhere (no per-platform native binaries).
 */
const transpile = ['ts-jest', { tsconfig: { isolatedModules: true, module: 'commonjs', moduleResolution: 'node10', target: 'es2022', allowJs: true, esModuleInterop: true } }];

module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.tsx?$': transpile, '^.+\\.m?js$': transpile },
  transformIgnorePatterns: ['/node_modules/(?!(@actions|leven)/)'],
  testTimeout: 60000,
};
