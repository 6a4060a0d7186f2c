/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/src', '<rootDir>/rules', '<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  // @marcbachmann/cel-js ships ES modules only: jest's CommonJS runtime gets it through the same esbuild transform
  transform: { '^.+\\.ts$': '<rootDir>/test/esbuild-transform.js', '/node_modules/@marcbachmann/cel-js/.+\\.js$': '<rootDir>/test/esbuild-transform.js' },
  transformIgnorePatterns: ['/node_modules/(?!@marcbachmann/cel-js/)'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  testTimeout: 60000,
};
