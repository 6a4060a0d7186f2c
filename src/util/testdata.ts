/**
 * Whether a file lies in a Go `testdata` directory: the data of a test ("The go tool ignores a directory named
 * testdata, making it available to hold ancillary data needed by the tests"), which may hold what no cluster gets as
 * it is: versions of one object before and after a change, or objects that reference what the test itself supplies.
 */
export function isTestDataPath(p: string): boolean {
  return /(^|\/)testdata\//.test(p.replace(/\\/g, '/'));
}
