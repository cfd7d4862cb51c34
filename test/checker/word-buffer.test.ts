/** The growable word buffers of the frontier and of the workers' records (codec.ts: WordBuffer). */
import { describe, expect, it } from 'vitest';
import { CapacityError, WordBuffer } from '../../src/checker/state/index.ts';

describe('WordBuffer', () => {
  it('doubles by default, and keeps the words written', () => {
    const b = new WordBuffer(4);
    b.ensure(4).set([1, 2, 3, 4]);
    b.len = 4;
    b.ensure(1);
    expect(b.buf.length).toBe(8);
    b.ensure(13);
    expect(b.buf.length).toBe(32);
    expect([...b.buf.subarray(0, 4)]).toEqual([1, 2, 3, 4]);
  });

  it('grows by its factor (a worker\'s record buffers: by half again), shared buffers staying shared', () => {
    const asked: number[] = [];
    const b = new WordBuffer(1024, true, 1.5);
    b.admit = (bytes) => void asked.push(bytes);
    b.ensure(1024).fill(7);
    b.len = 1024;
    b.ensure(1);
    expect(b.buf.length).toBe(1536);
    expect(b.buf.buffer).toBeInstanceOf(SharedArrayBuffer);
    b.ensure(2000);
    expect(b.buf.length).toBe(3456); // 1536 -> 2304 -> 3456, the first that holds 3024 words
    expect(asked).toEqual([1536 * 4, 3456 * 4]);
    expect(b.buf.subarray(0, 1024).every((w) => w === 7)).toBe(true);
  });

  it('a refused growth leaves the buffer as it was', () => {
    const b = new WordBuffer(8, false, 1.5);
    b.len = 8;
    b.admit = () => {
      throw new CapacityError('no room');
    };
    const before = b.buf;
    expect(() => b.ensure(1)).toThrow(CapacityError);
    expect(b.buf).toBe(before);
  });
});
