// A progress line on stderr (bytes, percent, ETA) for large inputs, drawn only on a terminal.
export interface Progress {
  update(done: number, total: number): void;
  end(): void;
}

const MIN_BYTES = 32 << 20;

function mb(n: number): string {
  return n >= 1 << 30 ? `${(n / (1 << 30)).toFixed(2)} GB` : `${(n / (1 << 20)).toFixed(0)} MB`;
}

export function progressBar(stream: NodeJS.WriteStream): Progress {
  const started = Date.now();
  let last = 0;
  let drawn = false;
  return {
    update(done, total) {
      if (!stream.isTTY || total < MIN_BYTES) return;
      const now = Date.now();
      if (now - last < 200) return;
      last = now;
      const frac = Math.min(1, done / total);
      const elapsed = (now - started) / 1000;
      const eta = frac > 0 ? Math.round(elapsed / frac - elapsed) : 0;
      const width = 24;
      const bar = '#'.repeat(Math.round(frac * width)).padEnd(width, '.');
      stream.write(`\r[${bar}] ${mb(done)} / ${mb(total)} (${Math.round(frac * 100)}%) ETA ${eta}s `);
      drawn = true;
    },
    end() {
      if (drawn) stream.write('\r\x1b[K');
    },
  };
}
