/**
 * Where the package's own files are. The code runs in three layouts:
 * - the esbuild bundle dist/k8s-gold.cjs (scripts/bundle.mjs defines
 *   K8S_GOLD_BUNDLE), where every module's __dirname is dist/;
 * - tsc's output, dist/src/util/layout.js;
 * - the TypeScript sources under jest, src/util/layout.ts.
 */
import * as path from 'node:path';

declare const K8S_GOLD_BUNDLE: boolean | undefined;

/** true inside the bundle (dist/k8s-gold.cjs). */
export const BUNDLED: boolean = typeof K8S_GOLD_BUNDLE === 'boolean' && K8S_GOLD_BUNDLE;

/** The package root (the directory holding package.json, schemas/, src/data/). */
export const PACKAGE_ROOT: string = BUNDLED
  ? path.resolve(__dirname, '..')
  : path.resolve(__dirname, __filename.endsWith('.ts') ? '../..' : '../../..');

/** The compiled (tsc) engine directory, dist/src/, or src/ under jest. */
export const CODE_DIR: string = BUNDLED ? path.join(PACKAGE_ROOT, 'dist', 'src') : path.resolve(__dirname, '..');
