// The samples each responder file keeps (positive and negative), read for the tests that replay them.
import { join } from 'node:path';
import { readYamlTree } from '../catalog/yaml-files.ts';
import { RESPONDERS_DIR } from './responder-catalog.ts';

export interface ResponderSample {
  readonly file: string;
  readonly note?: string;
  readonly status: number;
  readonly reason?: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
  readonly expect: { readonly responder: string; readonly cause?: string; readonly relays?: readonly string[]; readonly not?: string };
}

export function responderSamples(dir = RESPONDERS_DIR): ResponderSample[] {
  return readYamlTree(dir).flatMap((y) => {
    const samples = (y.data as { samples?: Omit<ResponderSample, 'file'>[] }).samples ?? [];
    return samples.map((s) => ({ ...s, headers: s.headers ?? {}, body: s.body ?? '', file: join('catalog/responders', y.path) }));
  });
}
