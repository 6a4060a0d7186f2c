/**
 * Stylish output: the findings and the summary line are built apart, so that
 * the bulk stays a one-byte (Latin-1) string in V8 although the summary's ✖
 * is not Latin-1; what is printed is byte for byte what `stylish()` returns.
 */
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { ROOT, cli, writeTree } from './helpers';

describe('stylish output in parts', () => {
  test('the bulk is a one-byte string, the joined output is the same bytes', () => {
    const script = `
      // V8's serializer tags a string by its representation: '"' one byte per character, 'c' two
      const oneByte = (s) => require('node:v8').serialize(s)[2] === 0x22;
      const { stylish, stylishParts } = require(${JSON.stringify(path.join(ROOT, 'dist/src/report/stylish.js'))});
      const results = [{ filePath: 'a.yaml', findings: [{ range: { line: 3, column: 5 }, severity: 'error', message: 'container "x" is bad', ruleId: 'r1' }, { range: { line: 10, column: 1 }, severity: 'info', message: 'more', ruleId: 'r2' }], suppressed: [], objectCount: 2 }];
      const summary = { files: 1, objects: 2, errors: 1, warnings: 0, infos: 1, suppressed: 0, skipped: 0, notValidated: 0 };
      const out = {};
      for (const color of [false, true]) {
        const ctx = { color, notes: ['a note'], summary };
        const [bulk, line] = stylishParts(results, ctx);
        const whole = stylish(results, ctx);
        out[color] = { bulkOneByte: oneByte(bulk), wholeOneByte: oneByte(whole), same: Buffer.concat([Buffer.from(bulk), Buffer.from(line)]).equals(Buffer.from(whole)), line };
      }
      process.stdout.write(JSON.stringify(out));
    `;
    const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    const out = JSON.parse(r.stdout) as Record<string, { bulkOneByte: boolean; wholeOneByte: boolean; same: boolean; line: string }>;
    for (const k of ['false', 'true']) {
      expect(out[k]!.same).toBe(true);
      expect(out[k]!.bulkOneByte).toBe(true);
      // what the parts avoid: one ✖ makes the whole output two bytes per character
      expect(out[k]!.wholeOneByte).toBe(false);
    }
    expect(out.false!.line).toBe('✖ 1 file, 2 objects, 1 error, 0 warnings, 1 info, 0 suppressed\n');
  });

  test('the CLI prints the same bytes as stylish()', async () => {
    const dir = writeTree({ 'a.yaml': 'apiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec:\n  ports: [{port: "80"}]\n' });
    const r = await cli(['lint', '--no-config', 'a.yaml'], { cwd: dir });
    expect(r.stdout).toMatch(/^a\.yaml\n {2}a\.yaml:\d+:\d+ +(error|warning)/);
    expect(r.stdout).toMatch(/\n✖ 1 file, 1 object, \d+ errors?, \d+ warnings?(, \d+ info)?, 0 suppressed\n$/);
  });
});
