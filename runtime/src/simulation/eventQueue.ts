/**
 * Virtual time: callbacks scheduled at moments, run in time order (ties in the order they were scheduled).
 * A binary heap; nothing here waits for real time.
 */
interface Scheduled {
  at: number;
  seq: number;
  run: () => void;
}

export class EventQueue {
  /** The current virtual time, ms. */
  now = 0;
  private readonly heap: Scheduled[] = [];
  private seq = 0;

  get size(): number {
    return this.heap.length;
  }

  /** Runs `run` at `at` (now, if `at` has passed). */
  schedule(at: number, run: () => void): void {
    const e = { at: Math.max(at, this.now), seq: this.seq++, run };
    const h = this.heap;
    h.push(e);
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!earlier(e, h[p])) break;
      h[i] = h[p];
      i = p;
    }
    h[i] = e;
  }

  /** When the next callback is due, or Infinity. */
  nextAt(): number {
    return this.heap.length > 0 ? this.heap[0].at : Infinity;
  }

  /** Runs the next callback, moving time to it; false when there is none. */
  step(): boolean {
    const h = this.heap;
    if (h.length === 0) return false;
    const top = h[0];
    const last = h.pop()!;
    if (h.length > 0) {
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= h.length) break;
        const r = l + 1;
        const c = r < h.length && earlier(h[r], h[l]) ? r : l;
        if (!earlier(h[c], last)) break;
        h[i] = h[c];
        i = c;
      }
      h[i] = last;
    }
    this.now = top.at;
    top.run();
    return true;
  }
}

const earlier = (a: Scheduled, b: Scheduled): boolean => a.at < b.at || (a.at === b.at && a.seq < b.seq);
