/**
 * The incremental cache (src/engine/incremental.ts) after one kind of edit at a time: what it re-reads and
 * re-checks, and that every output format then prints what a cold run prints, byte for byte.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as store from '../src/engine/incremental-store';
import { lazyIndexStats } from '../src/engine/lazy-index';
import { cli, writeTree } from './helpers';

const FORMATS = ['json', 'stylish', 'sarif'];

const lint = async (dir: string, cache: boolean, format: string) => {
  const r = await cli(['lint', '-f', format, ...(cache ? ['--cache'] : []), '.'], { cwd: dir });
  return `${r.code}\n${r.stdout}\n${r.stderr}`;
};

/** Lints with --cache (json, the run measured), then every format against a cold run. */
async function expectCold(dir: string): Promise<NonNullable<typeof store.lastStats>> {
  const warm = await lint(dir, true, 'json');
  const stats = store.lastStats!;
  expect(warm).toBe(await lint(dir, false, 'json'));
  for (const f of FORMATS) expect(await lint(dir, true, f)).toBe(await lint(dir, false, f));
  return stats;
}

const DEPLOY = (name: string, ref: string) =>
  `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${name}\n  namespace: a\nspec:\n  replicas: 2\n  selector: {matchLabels: {app: ${name}}}\n  template:\n    metadata:\n      labels: {app: ${name}}\n    spec:\n      containers:\n        - name: c\n          image: nginx:1.27\n          envFrom: [{configMapRef: {name: ${ref}}}]\n`;
const CM = (name: string, x = '1') => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n  namespace: a\ndata: {x: "${x}"}\n`;
const SVC = (app: string) =>
  `apiVersion: v1\nkind: Service\nmetadata:\n  name: svc\n  namespace: a\nspec:\n  selector: {app: ${app}}\n  ports: [{port: 80}]\n`;

/** A Deployment referring to a ConfigMap, a Service selecting it, other Deployments, and a ConfigMap defined twice (different data). */
function tree(): string {
  const files: Record<string, string> = {
    'cm.yaml': CM('cfg'),
    'deploy.yaml': DEPLOY('web', 'cfg'),
    'svc.yaml': SVC('web'),
    'dup-a.yaml': CM('twice', '1'),
    'dup-b.yaml': CM('twice', '2'),
  };
  for (let i = 0; i < 4; i++) files[`other${i}.yaml`] = DEPLOY(`w${i}`, `cfg${i}`);
  return writeTree(files);
}

const edit = (dir: string, file: string, f: (text: string) => string) =>
  fs.writeFileSync(path.join(dir, file), f(fs.readFileSync(path.join(dir, file), 'utf8')));

describe('incremental --cache, one edit at a time', () => {
  test('a comment edit that leaves every value as it was re-checks no other file', async () => {
    const dir = tree();
    await lint(dir, true, 'json');
    // the ConfigMap the Deployment reads, and the Deployment the Service selects: their values are unchanged
    edit(dir, 'cm.yaml', (t) => `${t}# a comment\n`);
    edit(dir, 'deploy.yaml', (t) => t.replace('replicas: 2', 'replicas: 2 # two'));
    const stats = await expectCold(dir);
    expect(stats.fresh).toBe(2);
    expect(stats.touched).toBe(0);
  });

  test('lines moved in a file: a message of another file that quotes one of them is made again', async () => {
    const dir = tree();
    await lint(dir, true, 'json');
    const before = await lint(dir, true, 'json');
    expect(before).toContain('dup-a.yaml:2');
    // the first definition moves two lines down: dup-b.yaml's finding names its new line
    edit(dir, 'dup-a.yaml', (t) => `# one\n# two\n${t}`);
    const stats = await expectCold(dir);
    expect(stats.fresh).toBe(1);
    expect(stats.touched).toBe(1);
    expect(await lint(dir, true, 'json')).toContain('dup-a.yaml:4');
  });

  test('a value edit re-checks the files that read it', async () => {
    const dir = tree();
    await lint(dir, true, 'json');
    // the Service now selects nothing of web: its finding changes; the Deployment's pods are no longer selected
    edit(dir, 'svc.yaml', () => SVC('nothing'));
    const stats = await expectCold(dir);
    expect(stats.fresh).toBe(1);
    expect(stats.touched).toBeGreaterThanOrEqual(1);
    expect(stats.replayed).toBeGreaterThanOrEqual(4);
  });

  test('a file added, a file deleted', async () => {
    const dir = tree();
    await lint(dir, true, 'json');
    fs.writeFileSync(path.join(dir, 'cm0.yaml'), CM('cfg0'));
    await expectCold(dir);
    fs.unlinkSync(path.join(dir, 'cm.yaml'));
    const stats = await expectCold(dir);
    expect(stats.touched).toBeGreaterThanOrEqual(1);
  });

  test('a referenced object renamed, then its old name restored', async () => {
    const dir = tree();
    await lint(dir, true, 'json');
    const before = await lint(dir, true, 'json');
    edit(dir, 'cm.yaml', () => CM('renamed'));
    await expectCold(dir);
    // the Deployment's reference is now missing
    expect(await lint(dir, true, 'json')).not.toBe(before);
    edit(dir, 'cm.yaml', () => CM('cfg'));
    await expectCold(dir);
    // a file moved: the same text under another name
    fs.renameSync(path.join(dir, 'deploy.yaml'), path.join(dir, 'moved.yaml'));
    await expectCold(dir);
  });

  test("a state whose pack is missing or is another state's lints afresh", async () => {
    const dir = tree();
    const other = tree();
    await lint(dir, true, 'json');
    await lint(other, true, 'json');
    const files = fs.readdirSync(dir).filter((f) => f.endsWith('.yaml')).length;
    const state = path.join(dir, '.k8s-gold-cache.inc');
    // a value edit: the state file holds the new records and names the pack it goes with
    edit(dir, 'svc.yaml', () => SVC('w0'));
    expect((await expectCold(dir)).fresh).toBe(1);
    fs.copyFileSync(path.join(other, '.k8s-gold-cache.inc.pack'), `${state}.pack`);
    edit(dir, 'svc.yaml', () => SVC('w1'));
    expect((await expectCold(dir)).fresh).toBe(files);
    edit(dir, 'svc.yaml', () => SVC('w2'));
    expect((await expectCold(dir)).fresh).toBe(1);
    fs.unlinkSync(`${state}.pack`);
    edit(dir, 'svc.yaml', () => SVC('w3'));
    expect((await expectCold(dir)).fresh).toBe(files);
  });
});

describe('incremental --cache: the objects of a changed file that stand as they stood', () => {
  // a ConfigMap defined twice in one file (duplicate-object quotes the other definition's line), and a Deployment
  // between them whose findings carry fixes (json) and whose reference is missing
  const multi = (between = '') => `${CM('twice', '1')}---\n${between}${DEPLOY('web', 'gone')}---\n${CM('twice', '2')}`;

  test('a comment appended: their checks are replayed, and every format prints what a cold run prints', async () => {
    const dir = writeTree({ 'multi.yaml': multi(), 'cm.yaml': CM('cfg'), 'svc.yaml': SVC('web') });
    for (const f of FORMATS) await lint(dir, true, f);
    edit(dir, 'multi.yaml', (t) => `${t}# a comment\n`);
    const stats = await expectCold(dir);
    expect(stats.fresh).toBe(1);
    expect(stats.reused).toBeGreaterThan(0);
    // the checks that read the parsed document (duplicate keys, ambiguous values) run again
    expect(stats.byRule['duplicate-key']).toBe(3);
    expect(stats.byRule['missing-references']).toBeUndefined();
  });

  test('lines moved within the file: a check that quoted a line of it runs again, the findings move', async () => {
    const dir = writeTree({ 'multi.yaml': multi(), 'cm.yaml': CM('cfg'), 'svc.yaml': SVC('web') });
    for (const f of FORMATS) await lint(dir, true, f);
    const before = await lint(dir, true, 'json');
    edit(dir, 'multi.yaml', () => multi('# one\n# two\n# three\n'));
    const stats = await expectCold(dir);
    expect(stats.reused).toBeGreaterThan(0);
    // the later definition's duplicate-object check quoted the line of the earlier one: it read a position of its file
    expect(stats.byRule['duplicate-object']).toBe(1);
    const after = await lint(dir, true, 'json');
    expect(after).not.toBe(before);
    // the first definition did not move, the second did; the replayed findings of the Deployment are on its new lines
    expect(after).toBe(await lint(dir, false, 'json'));
  });

  test('a value edit in the file: the changed object is checked again, the others replayed', async () => {
    const dir = writeTree({ 'multi.yaml': multi(), 'cm.yaml': CM('cfg'), 'svc.yaml': SVC('web') });
    for (const f of FORMATS) await lint(dir, true, f);
    edit(dir, 'multi.yaml', (t) => t.replace('gone', 'cfg'));
    const stats = await expectCold(dir);
    expect(stats.reused).toBeGreaterThan(0);
    expect(stats.byRule['missing-references']).toBeGreaterThanOrEqual(1);
  });
});

describe('incremental --cache: the index is filled only when a check reads it (src/engine/lazy-index.ts)', () => {
  const filled = async (dir: string) => {
    const before = { ...lazyIndexStats };
    const out = await lint(dir, true, 'json');
    expect(out).toBe(await lint(dir, false, 'json'));
    expect(lazyIndexStats.made).toBe(before.made + 1);
    return lazyIndexStats.filled - before.filled;
  };

  test('a comment edit reads no index; a value another file reads, and a file added, fill it', async () => {
    const dir = tree();
    await lint(dir, true, 'json');
    edit(dir, 'cm.yaml', (t) => `${t}# a comment\n`);
    expect(await filled(dir)).toBe(0);
    // the ConfigMap the Deployment refers to is renamed: the Deployment's check runs again and reads the index
    edit(dir, 'cm.yaml', (t) => t.replace('name: cfg', 'name: cfg-renamed'));
    expect(await filled(dir)).toBe(1);
    expect(store.lastStats!.touched).toBeGreaterThan(0);
    fs.writeFileSync(path.join(dir, 'new.yaml'), DEPLOY('added', 'cfg-renamed'));
    expect(await filled(dir)).toBe(1);
    for (const f of FORMATS) expect(await lint(dir, true, f)).toBe(await lint(dir, false, f));
  });
});

describe('incremental --cache: unchanged files are not decoded to be asked again whether they are test assertions', () => {
  const OWNED = (name: string) =>
    `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n  namespace: a\n  ownerReferences: [{apiVersion: apps/v1, kind: Deployment, name: web, controller: true}]\ndata: {x: "1"}\n`;

  test('a comment edit decodes the values of the edited file only; a file that becomes a snapshot, and back, lint as cold', async () => {
    const dir = tree();
    await lint(dir, true, 'json');
    edit(dir, 'other1.yaml', (t) => `${t}# a comment\n`);
    const stats = await expectCold(dir);
    expect(stats.usedState).toBe(true);
    // the edited file's stored values, compared with its new ones
    expect(stats.valuesDecoded).toBe(1);
    // a controller's snapshot (set aside as a test assertion): no state is kept while it is there
    fs.writeFileSync(path.join(dir, 'owned.yaml'), OWNED('snap'));
    await expectCold(dir);
    edit(dir, 'cm.yaml', (t) => `${t}# again\n`);
    await expectCold(dir);
    fs.writeFileSync(path.join(dir, 'owned.yaml'), CM('not-owned'));
    await expectCold(dir);
    edit(dir, 'cm.yaml', (t) => `${t}# and again\n`);
    expect((await expectCold(dir)).usedState).toBe(true);
    // an unchanged file made a snapshot by an edit is read afresh
    fs.writeFileSync(path.join(dir, 'owned.yaml'), OWNED('snap-again'));
    await expectCold(dir);
  });
});
