/**
 * The incremental cache reads an unchanged file's objects only when something reads them (src/engine/incremental-store.ts,
 * incremental-load.ts): a replayed file's result, hash and flags are in the state's header, its base record (objects'
 * heads, early findings) is decoded when its objects are made. The stages that look over every object for kustomizations
 * and chainsaw Tests skip the files known to hold none (LoadedFile.plain); these tests put such objects in unchanged
 * files and compare every format with a cold run.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as store from '../src/engine/incremental-store';
import { cli, writeTree } from './helpers';

const FORMATS = ['json', 'stylish', 'sarif', 'junit'];

const lint = async (dir: string, cache: boolean, format: string) => {
  const r = await cli(['lint', '-f', format, ...(cache ? ['--cache'] : []), '.'], { cwd: dir });
  return `${r.code}\n${r.stdout}\n${r.stderr}`;
};

/**
 * Lints with --cache (`measured`: the run whose stats are returned; stylish as the bench, where a comment edit re-runs no
 * check that reads the index), then every format against a cold run.
 */
async function expectCold(dir: string, measured = 'stylish'): Promise<NonNullable<typeof store.lastStats>> {
  const first = await lint(dir, true, measured);
  const stats = store.lastStats!;
  expect(first).toBe(await lint(dir, false, measured));
  for (const f of FORMATS) expect(await lint(dir, true, f)).toBe(await lint(dir, false, f));
  return stats;
}

const edit = (dir: string, file: string, f: (text: string) => string) =>
  fs.writeFileSync(path.join(dir, file), f(fs.readFileSync(path.join(dir, file), 'utf8')));

const DEPLOY = (name: string, ns = 'a') =>
  `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${name}\n  namespace: ${ns}\nspec:\n  replicas: 2\n  selector: {matchLabels: {app: ${name}}}\n  template:\n    metadata:\n      labels: {app: ${name}}\n    spec:\n      containers:\n        - name: c\n          image: nginx:1.27\n          envFrom: [{configMapRef: {name: cfg}}]\n`;
const CM = (name: string, ns = 'a') => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n  namespace: ${ns}\ndata: {x: "1"}\n`;
const SVC = (app: string) =>
  `apiVersion: v1\nkind: Service\nmetadata:\n  name: svc\n  namespace: a\nspec:\n  selector: {app: ${app}, team: t}\n  ports: [{port: 80}]\n`;

describe('incremental --cache: an unchanged file is decoded only when read', () => {
  test('a comment edit decodes the base of the edited file alone; a value edit that fills the index, every base', async () => {
    const files: Record<string, string> = { 'cm.yaml': CM('cfg'), 'svc.yaml': SVC('web') };
    for (let i = 0; i < 6; i++) files[`d${i}.yaml`] = DEPLOY(`w${i}`);
    const dir = writeTree(files);
    await lint(dir, true, 'stylish');
    edit(dir, 'd3.yaml', (t) => `${t}# a comment\n`);
    const comment = await expectCold(dir);
    expect(comment.usedState).toBe(true);
    expect(comment.basesDecoded).toBe(1);
    // the ConfigMap every Deployment reads is renamed: their checks run again, the index is filled with every object
    edit(dir, 'cm.yaml', (t) => t.replace('name: cfg', 'name: cfg2'));
    const value = await expectCold(dir);
    expect(value.usedState).toBe(true);
    expect(value.basesDecoded).toBe(8);
    // the namespace of an unchanged file's objects' neighbour changes; a file is deleted, one added
    edit(dir, 'cm.yaml', () => CM('cfg', 'b'));
    await expectCold(dir);
    fs.rmSync(path.join(dir, 'd0.yaml'));
    fs.writeFileSync(path.join(dir, 'd9.yaml'), DEPLOY('w9', 'b'));
    expect((await expectCold(dir)).usedState).toBe(true);
  });
});

describe('incremental --cache: kustomizations and chainsaw Tests in unchanged files (LoadedFile.plain)', () => {
  const RAW = '{"kustomize": {"render": false}}';
  const KUST = (labels: string) =>
    `apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: [deploy.yaml, svc.yaml]\n${labels ? `commonLabels: {${labels}}\n` : ''}`;

  test('a kustomization read raw in an unchanged file: every object is read; one that adds labels lints afresh', async () => {
    const dir = writeTree({
      '.k8s-gold.json': RAW,
      'app/kustomization.yaml': KUST(''),
      'app/deploy.yaml': DEPLOY('web'),
      'app/svc.yaml': SVC('web'),
      'cm.yaml': CM('cfg'),
      'other.yaml': DEPLOY('other'),
    });
    await lint(dir, true, 'stylish');
    edit(dir, 'other.yaml', (t) => `${t}# a comment\n`);
    const s1 = await expectCold(dir);
    expect(s1.usedState).toBe(true);
    // the kustomization's file is not plain: the analysis reads every object
    expect(s1.basesDecoded).toBe(5);
    // its labels go onto other files' objects (the Service selects team: t, which only they give the pods): no state
    edit(dir, 'app/kustomization.yaml', () => KUST('team: t'));
    expect((await expectCold(dir)).usedState).toBe(false);
    edit(dir, 'app/svc.yaml', (t) => t.replace('app: web', 'app: other'));
    expect((await expectCold(dir)).usedState).toBe(false);
    fs.rmSync(path.join(dir, 'app/kustomization.yaml'));
    await expectCold(dir);
    edit(dir, 'cm.yaml', (t) => `${t}# again\n`);
    const s2 = await expectCold(dir);
    expect(s2.usedState).toBe(true);
    expect(s2.basesDecoded).toBe(1);
    // a kustomization adding labels comes in a changed file, every other file unchanged: the run starts afresh
    fs.writeFileSync(path.join(dir, 'app/kustomization.yaml'), KUST('team: t'));
    expect(await lint(dir, true, 'json')).toBe(await lint(dir, false, 'json'));
    expect(store.lastStats!.usedState).toBe(false);
    await expectCold(dir);
  });

  test('a kustomization added above an unchanged file named as a patch: the file is set aside, as cold', async () => {
    const dir = writeTree({
      '.k8s-gold.json': RAW,
      'app/deploy.yaml': DEPLOY('web'),
      'app/svc.yaml': SVC('web'),
      'app/patch-cm.yaml': CM('p'),
    });
    await lint(dir, true, 'stylish');
    edit(dir, 'app/deploy.yaml', (t) => `${t}# a comment\n`);
    expect((await expectCold(dir)).usedState).toBe(true);
    // app/patch-cm.yaml, unchanged, is now a patch file no kustomization uses: not linted as objects
    fs.writeFileSync(path.join(dir, 'app/kustomization.yaml'), KUST(''));
    await expectCold(dir);
    expect(await lint(dir, true, 'json')).toContain('kustomize-patch');
  });

  test('a patch file added beside an unchanged kustomization in a file of another name: set aside, as cold', async () => {
    const dir = writeTree({
      '.k8s-gold.json': RAW,
      'app/kust.yaml': KUST(''),
      'app/deploy.yaml': DEPLOY('web'),
      'app/svc.yaml': SVC('web'),
    });
    await lint(dir, true, 'stylish');
    edit(dir, 'app/deploy.yaml', (t) => `${t}# a comment\n`);
    const s = await expectCold(dir);
    expect(s.usedState).toBe(true);
    expect(s.basesDecoded).toBe(3);
    fs.writeFileSync(path.join(dir, 'app/patch-cm.yaml'), CM('p'));
    await expectCold(dir);
    expect(await lint(dir, true, 'json')).toContain('kustomize-patch');
  });

  test('a chainsaw Test in an unchanged file names a file added later: set aside as an assertion, as cold', async () => {
    const TEST =
      'apiVersion: chainsaw.kyverno.io/v1alpha1\nkind: Test\nmetadata: {name: smoke}\nspec:\n  steps:\n  - try:\n    - apply: {file: install.yaml}\n    - assert: {file: expected.yaml}\n';
    const dir = writeTree({ 'e2e/chainsaw-test.yaml': TEST, 'e2e/install.yaml': CM('installed'), 'cm.yaml': CM('cfg') });
    await lint(dir, true, 'stylish');
    edit(dir, 'cm.yaml', (t) => `${t}# a comment\n`);
    expect((await expectCold(dir)).usedState).toBe(true);
    // the file the unchanged Test asserts appears: it is an assertion, not linted as objects
    fs.writeFileSync(path.join(dir, 'e2e/expected.yaml'), DEPLOY('expected'));
    await expectCold(dir);
    expect(await lint(dir, true, 'json')).toContain('test-assertion');
    fs.rmSync(path.join(dir, 'e2e/expected.yaml'));
    await expectCold(dir);
  });
});
