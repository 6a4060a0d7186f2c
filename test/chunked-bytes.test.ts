// chunkedBytes (src/report/chunked.ts) with one reused buffer: a piece larger than the buffer (a file's stylish text
// or JSON result with every rule on) is encoded into the same buffer, written and filled again, instead of a fresh
// Buffer per piece. The bytes must be those of the text, each write whole characters and within the buffer.
import { chunkedBytes } from '../src/report/chunked';

function writeAll(pieces: string[], reuse: boolean): Buffer[] {
  const writes: Buffer[] = [];
  // a regular file: done with the bytes on return, so the writer copies them
  const w = chunkedBytes((b) => writes.push(Buffer.from(b)), reuse);
  for (const p of pieces) w.write(p);
  w.end();
  return writes;
}

test('pieces larger than the reused buffer are written through it whole, character by character', () => {
  // one-, two-, three- and four-byte characters (a surrogate pair in UTF-16), at every offset against the buffer's end
  const unit = 'ab ï € 😀 ';
  const pieces: string[] = ['small piece\n'];
  for (let n = 5000; n < 5020; n++) pieces.push(unit.repeat(n), 'x'.repeat(n % 7));
  pieces.push('😀'.repeat(40000), 'end\n');
  const expected = Buffer.from(pieces.join(''), 'utf8');
  const writes = writeAll(pieces, true);
  expect(Buffer.concat(writes).equals(expected)).toBe(true);
  expect(writes.length).toBeGreaterThan(expected.length >> 16);
  for (const w of writes) {
    expect(w.length).toBeLessThanOrEqual(1 << 16);
    expect(w.length).toBeGreaterThan(0);
    // whole characters: decoded and encoded again, the same bytes
    expect(Buffer.from(w.toString('utf8'), 'utf8').equals(w)).toBe(true);
  }
});

test('without reuse a large piece is one write of its own', () => {
  const big = 'é'.repeat(400000);
  const writes = writeAll(['a', big, 'b'], false);
  expect(writes.map((w) => w.toString('utf8'))).toEqual(['a', big, 'b']);
});
