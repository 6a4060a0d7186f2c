/** The shared chunks finished span tapes live in (src/parse/tape-arena.ts). */
import { releaseTape, storeTape } from './tape-arena';

const QUARTER = (512 * 1024) / 4 / 4;

describe('tape arena', () => {
  test('tapes share a chunk, which gives its memory back when its last tape is released', () => {
    // start a fresh chunk: fill whatever chunk is being filled
    const first = storeTape(new Int32Array(QUARTER));
    let a = storeTape(new Int32Array(QUARTER));
    while (a.chunk === first.chunk) a = storeTape(new Int32Array(QUARTER));
    const b = storeTape(Int32Array.of(1, 2, 3));
    expect(b.chunk).toBe(a.chunk);
    expect([...b.data]).toEqual([1, 2, 3]);
    const c = storeTape(new Int32Array(QUARTER));
    const d = storeTape(new Int32Array(QUARTER));
    expect(c.chunk).toBe(a.chunk);
    expect(d.chunk).toBe(a.chunk);
    // a quarter more does not fit: it starts another chunk, and the full one goes when its four tapes are released
    const e = storeTape(new Int32Array(QUARTER));
    expect(e.chunk).not.toBe(a.chunk);
    const buffer = a.chunk.buffer;
    for (const t of [a, b, c]) releaseTape(t.chunk);
    expect(buffer.byteLength).toBe(512 * 1024);
    releaseTape(d.chunk);
    expect(buffer.byteLength).toBe(0);
    // the chunk being filled is reused from its start once its tapes are released
    releaseTape(e.chunk);
    const f = storeTape(Int32Array.of(5, 6));
    expect(f.chunk).toBe(e.chunk);
    expect(f.data.byteOffset).toBe(0);
    expect([...f.data]).toEqual([5, 6]);
  });

  test('a tape of more than a quarter of a chunk has a buffer of its own', () => {
    const t = storeTape(new Int32Array(QUARTER + 1).fill(7));
    expect(t.data.buffer.byteLength).toBe((QUARTER + 1) * 4);
    expect(t.data[QUARTER]).toBe(7);
    releaseTape(t.chunk);
    expect(t.data.buffer.byteLength).toBe(0);
  });
});
