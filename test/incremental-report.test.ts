/**
 * The stylish report of a --cache run whose inputs changed (src/cli-stylish.ts): the text of each file whose
 * stored result is unchanged is copied from the previous run's output, every other file's is made again,
 * and the whole output is what a cold run prints, byte for byte. A change of the configuration, of the
 * output options or of the file's findings makes the text again.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { lastBlockStats } from '../src/cli-stylish';
import * as store from '../src/engine/incremental-store';
import { cli, writeTree } from './helpers';

const run = async (dir: string, args: string[]) => {
  const r = await cli(['lint', ...args, '.'], { cwd: dir });
  return `${r.code}\n${r.stdout}\n${r.stderr}`;
};

/** A --cache run (its block counts), checked against a cold run with the same arguments. */
async function cached(dir: string, args: string[] = []): Promise<{ copied: number; made: number }> {
  const out = await run(dir, ['--cache', ...args]);
  const stats = { ...lastBlockStats };
  expect(out).toBe(await run(dir, args));
  return stats;
}

const DEPLOY = (name: string, image = 'nginx:1.27') =>
  `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${name}\n  namespace: a\nspec:\n  replicas: 2\n  selector: {matchLabels: {app: ${name}}}\n  template:\n    metadata:\n      labels: {app: ${name}}\n    spec:\n      containers:\n        - name: c\n          image: ${image}\n`;
const SVC = (app: string) =>
  `apiVersion: v1\nkind: Service\nmetadata:\n  name: svc\n  namespace: a\nspec:\n  selector: {app: ${app}}\n  ports: [{port: 80}]\n`;

function tree(): string {
  const files: Record<string, string> = { 'svc.yaml': SVC('w0') };
  for (let i = 0; i < 5; i++) files[`d${i}.yaml`] = DEPLOY(`w${i}`);
  return writeTree(files);
}

const edit = (dir: string, file: string, f: (text: string) => string) =>
  fs.writeFileSync(path.join(dir, file), f(fs.readFileSync(path.join(dir, file), 'utf8')));

describe('--cache: the stylish text of unchanged files is copied', () => {
  test('a value edit makes only the text of the files whose findings changed', async () => {
    const dir = tree();
    const first = await cached(dir);
    expect(first.copied).toBe(0);
    expect(first.made).toBeGreaterThanOrEqual(5);
    edit(dir, 'd2.yaml', (t) => t.replace('nginx:1.27', 'nginx:latest'));
    const second = await cached(dir);
    expect(store.lastStats!.usedState).toBe(true);
    expect(second.made).toBe(1);
    expect(second.copied).toBe(first.made - 1);
    // a comment edit leaves every finding where it was: every text is copied
    edit(dir, 'd3.yaml', (t) => `${t}# a comment\n`);
    const third = await cached(dir);
    expect(third.made).toBe(0);
    // lines moved: the file's findings are elsewhere, its text is made again
    edit(dir, 'd4.yaml', (t) => `# one\n# two\n${t}`);
    const fourth = await cached(dir);
    expect(fourth.made).toBe(1);
    // a label another object selects: the Service's findings and the Deployments' change
    edit(dir, 'd0.yaml', (t) => t.replaceAll('app: w0', 'app: x0'));
    const fifth = await cached(dir);
    expect(fifth.made).toBeGreaterThanOrEqual(1);
    expect(fifth.copied).toBeGreaterThanOrEqual(3);
  });

  test('a config change, other output options or a json run in between make every text again', async () => {
    const dir = tree();
    const first = await cached(dir);
    edit(dir, 'd1.yaml', (t) => `${t}# edited\n`);
    // another rule set: the key of the previous output differs
    fs.writeFileSync(path.join(dir, '.k8s-gold.yaml'), 'extends: recommended\nrules:\n  image-tag: off\n');
    expect(await cached(dir)).toEqual({ copied: 0, made: first.made });
    fs.rmSync(path.join(dir, '.k8s-gold.yaml'));
    expect((await cached(dir)).copied).toBe(0);
    // colours: other output options
    edit(dir, 'd1.yaml', (t) => `${t}# again\n`);
    expect((await cached(dir, ['--color'])).copied).toBe(0);
    edit(dir, 'd1.yaml', (t) => `${t}# and again\n`);
    expect((await cached(dir, ['--color'])).made).toBe(0);
    // --quiet prints only errors: its own texts
    edit(dir, 'd1.yaml', (t) => `${t}# quiet\n`);
    const quiet = await cached(dir, ['--quiet']);
    expect(quiet.copied).toBe(0);
    // a json run replaces the previous output: the next stylish run has nothing to copy
    edit(dir, 'd1.yaml', (t) => `${t}# json\n`);
    expect(await run(dir, ['--cache', '-f', 'json'])).toBe(await run(dir, ['-f', 'json']));
    edit(dir, 'd1.yaml', (t) => `${t}# stylish\n`);
    expect((await cached(dir)).copied).toBe(0);
  });

  test('texts after one that is not ASCII are copied from the right bytes', async () => {
    const dir = tree();
    // a name with a character outside ASCII: the messages that quote it take more bytes than characters
    fs.writeFileSync(path.join(dir, 'a.yaml'), DEPLOY('wé-ü'));
    const first = await cached(dir);
    expect(await run(dir, [])).toContain('wé-ü');
    edit(dir, 'd4.yaml', (t) => t.replace('nginx:1.27', 'nginx:latest'));
    const second = await cached(dir);
    expect(second).toEqual({ copied: first.made - 1, made: 1 });
  });

  test('a corrupt previous output is not used', async () => {
    const dir = tree();
    const first = await cached(dir);
    const out = path.join(dir, '.k8s-gold-cache.out');
    const bytes = fs.readFileSync(out);
    // the trailer's length digits no longer match
    fs.writeFileSync(out, Buffer.concat([bytes.subarray(0, 10), bytes.subarray(11)]));
    edit(dir, 'd1.yaml', (t) => `${t}# edited\n`);
    expect(await cached(dir)).toEqual({ copied: 0, made: first.made });
  });
});
