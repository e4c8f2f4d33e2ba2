/** Tests run TypeScript through ts-jest in transpile-only mode (`isolatedModules` in its tsconfig); `npm run typecheck` checks types. */
module.exports = {
  // Node's environment; the shim's log lines of a test are printed only when it fails (TEST_LOGS=all: always).
  testEnvironment: '<rootDir>/test/support/quiet-environment.js',
  setupFiles: ['<rootDir>/test/support/quiet-logs.ts'],
  roots: ['<rootDir>/test', '<rootDir>/examples'],
  testMatch: ['**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
  transform: {
    '^.+\\.tsx?$': [
      'ts-jest',
      {
        tsconfig: {
          isolatedModules: true,
          module: 'commonjs',
          moduleResolution: 'node10',
          target: 'ES2022',
          experimentalDecorators: true,
          emitDecoratorMetadata: true,
          esModuleInterop: true,
          ignoreDeprecations: '5.0',
        },
      },
    ],
    // @hyperledger/fabric-gateway (the gateway tests' client) requires @noble/curves, which ships ESM only.
    '/node_modules/@noble/.+\\.js$': [
      'ts-jest',
      { tsconfig: { isolatedModules: true, allowJs: true, module: 'commonjs', target: 'ES2022' } },
    ],
  },
  transformIgnorePatterns: ['/node_modules/(?!@noble/)'],
  // Examples import the package by its published name; resolve it to the sources.
  moduleNameMapper: {
    '^fabric-shim-ts$': '<rootDir>/src/index.ts',
    '^fabric-shim-ts/(contract|testing)$': '<rootDir>/src/$1/index.ts',
  },
  testTimeout: 30000,
  reporters: ['default', '<rootDir>/test/support/summary-reporter.js'],
};
