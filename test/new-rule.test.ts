/** `npm run new-rule -- <id>` scaffolds a rule that registers, passes the meta-schema and its own fixtures. */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ROOT, tmpdir } from './helpers';

test('the scaffold creates a registered rule whose fixtures pass', () => {
  const t = tmpdir('k8s-gold-scaffold-');
  for (const d of ['src', 'rules', 'test', 'schemas', 'examples', 'docs'])
    fs.cpSync(path.join(ROOT, d), path.join(t, d), { recursive: true });
  for (const f of ['package.json', 'tsconfig.json', 'jest.config.js']) fs.copyFileSync(path.join(ROOT, f), path.join(t, f));
  fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(t, 'node_modules'));
  const made = spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'new-rule.mjs'), 'demo-scaffolded', '--root', t], {
    encoding: 'utf8',
  });
  expect(made.stderr).toBe('');
  expect(made.status).toBe(0);
  expect(fs.readdirSync(path.join(t, 'rules', 'demo-scaffolded')).sort()).toEqual([
    'README.md',
    'examples',
    'index.ts',
    'invalid.yaml',
    'valid.yaml',
  ]);
  expect(fs.readFileSync(path.join(t, 'src', 'engine', 'registry.ts'), 'utf8')).toMatch(
    /import demoScaffolded from '..\/..\/rules\/demo-scaffolded\/index.js';[\s\S]*\n  demoScaffolded,\n\];/,
  );
  // the scaffolded rule runs through the real fixture and example tests (meta-schema, fixtures with markers,
  // examples: before fires, after is clean; README sections)
  const jest = spawnSync(
    process.execPath,
    [
      require.resolve('jest/bin/jest'),
      '--rootDir',
      t,
      'test/rule-fixtures.test.ts',
      'test/rule-contract.test.ts',
      'test/rule-examples.test.ts',
      '-t',
      'demo-scaffolded|meta-schema|has examples',
    ],
    { cwd: t, encoding: 'utf8' },
  );
  expect(jest.stderr).toMatch(/Tests:\s+\d+ skipped, 11 passed/);
  expect(jest.status).toBe(0);
  // a second run refuses to overwrite
  const again = spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'new-rule.mjs'), 'demo-scaffolded', '--root', t], {
    encoding: 'utf8',
  });
  expect(again.status).toBe(2);
  expect(again.stderr).toMatch(/already exists/);
});
