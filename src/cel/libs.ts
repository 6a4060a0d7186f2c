/**
 * The Kubernetes CEL libraries (k8s.io/apiserver/pkg/cel/library) on top of
 * @marcbachmann/cel-js: the values and checks behind `quantity()`, `url()`,
 * `ip()`/`cidr()`, `semver()`, `format.*`, the lists and sets functions and
 * cel-go's strings extension. The environment (env.ts) registers them,
 * gated by the Kubernetes version that introduced each library.
 */
export { CelError } from './error.js';
export { re2, reMatches, reFind, reFindAll } from './regex.js';
export { celEquals, lists, sets } from './lists.js';
export { strings } from './strings.js';
export { Quantity_, URL_, Semver } from './values.js';
export { IP, CIDR } from './net.js';
export { FORMATS, Formatter } from './format.js';
