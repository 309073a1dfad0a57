// Docker's json-file log driver (/var/lib/docker/containers/*/*-json.log): `{"log":"…\n","stream":"stdout","time":"…"}`.
// A `log` without its final "\n" is a part of a longer line (Docker splits at 16 KiB), joined with the next.
// Written from the documented format (https://docs.docker.com/engine/logging/drivers/json-file/); docker cannot run here.
import type { Wrapper } from './types.ts';

export const dockerJson: Wrapper = {
  name: 'docker-json',
  peel(line) {
    if (!line.startsWith('{"log":"')) return undefined;
    let v: unknown;
    try {
      v = JSON.parse(line);
    } catch {
      return undefined;
    }
    if (typeof v !== 'object' || v === null) return undefined;
    const log = (v as { log?: unknown }).log;
    if (typeof log !== 'string') return undefined;
    const whole = log.endsWith('\n');
    const text = (whole ? log.slice(0, -1) : log).replace(/\r$/, '');
    return { text, partial: !whole };
  },
};
