/**
 * Whether a file lies in a directory of a test's data: a Go `testdata` directory ("The go tool ignores a directory
 * named testdata, making it available to hold ancillary data needed by the tests") or the test resources of the
 * Maven and Gradle layout (`src/test/resources/`, which Java and Kotlin tests read from the class path). Such data may
 * hold what no cluster gets as it is: versions of one object before and after a change, objects that reference what
 * the test itself supplies, or an old release of a CustomResourceDefinition kept to test upgrades (Apache Flink's
 * operator: `src/test/resources/pre-flink-configuration-yaml-crd.yml`).
 */
export function isTestDataPath(p: string): boolean {
  return /(^|\/)(testdata|src\/test\/resources)\//.test(p.replace(/\\/g, '/'));
}
