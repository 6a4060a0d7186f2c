/** The yaml package, loaded on first use, and its node predicates. */

/** The yaml package, loaded on first use: inputs the fast reader accepts never need it. */
let yamlModule: typeof import('yaml') | undefined;
export function Y(): typeof import('yaml') {
  return (yamlModule ??= require('yaml') as typeof import('yaml'));
}
export const isScalar = (n: unknown): boolean => Y().isScalar(n);
export const isMap = (n: unknown): boolean => Y().isMap(n);
export const isSeq = (n: unknown): boolean => Y().isSeq(n);
export const isAlias = (n: unknown): boolean => Y().isAlias(n);
