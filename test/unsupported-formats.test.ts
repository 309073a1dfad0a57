// Formats fivexx names but does not read: alone, the run fails with FIVEXX_FORMAT_UNSUPPORTED (exit 2) naming the
// format and its lines; beside a readable log, the same text is a warning of that source and the rest is read.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { runAnalysis } from '../src/engine/run-analysis.ts';

const tmp = mkdtempSync(join(tmpdir(), 'fivexx-unsupported-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

const run = (paths: string[]): ReturnType<typeof runAnalysis> => runAnalysis({
  paths, forced: new Map(), extraFormats: [], changes: [], tz: undefined, since: undefined, until: undefined, gapMs: 120_000, triggerWindowMs: 1_800_000,
});

const MONITORIX = 'Wed Apr 14 08:11:01 2021 - OK - [127.0.0.1] "GET /monitorix-cgi/monitorix.cgi - Mozilla/5.0"\nWed Apr 14 08:54:22 2021 - NOTEXIST - [127.0.0.1] File does not exist: /manager/html\n';

test('a log of a format fivexx does not read is named, not a bare unknown', async () => {
  const m = join(tmp, 'monitorix.log');
  writeFileSync(m, MONITORIX);
  const alone = await run([m]);
  assert.equal(alone.ok, false);
  if (alone.ok) return;
  assert.equal(alone.code, 'FIVEXX_FORMAT_UNSUPPORTED');
  assert.match(alone.error, /Monitorix's web server log: not a format fivexx reads \(its lines look like .*the first: "Wed Apr 14 08:11:01 2021 - OK/);
  const access = join(tmp, 'access.log');
  writeFileSync(access, '127.0.0.1 - - [22/Nov/2026:20:19:30 +0000] "GET / HTTP/1.1" 200 25 "-" "x"\n');
  const beside = await run([m, access]);
  assert.ok(beside.ok);
  if (!beside.ok) return;
  const src = beside.analysis.sources.find((s) => s.path === m);
  assert.equal(src?.format, 'unknown');
  assert.match(src?.warnings[0] ?? '', /^FIVEXX_FORMAT_UNSUPPORTED: Monitorix/);
  assert.equal(beside.analysis.totals.requests, 1);
});

test('the real files of formats fivexx does not read are named (skips without ../shared)', async (t) => {
  const dir = join(import.meta.dirname, '..', '..', 'shared', 'real-world');
  if (!existsSync(dir)) {
    t.skip('../shared/real-world is absent (a clone of the repository alone)');
    return;
  }
  const expected: [string, RegExp][] = [
    ['fail2ban/raw/monitorix', /^.*Monitorix/],
    ['fail2ban/clean/monitorix', /Monitorix/],
    ['crowdsec-hub/tcpudp-flood-traefik__tcpudp-flood-traefik.log', /logfmt/],
    ['crowdsec-hub/zoraxy-http-logs__zoraxy.log', /Zoraxy/],
    ['elastic-integrations/nginx-ingress-controller-test-error-raw.log', /klog/],
    ['elastic-integrations/aws-elb-test-alb.log', /AWS Network Load Balancer/],
  ];
  for (const [file, name] of expected) {
    const r = await run([join(dir, file)]);
    assert.ok(!r.ok && r.code === 'FIVEXX_FORMAT_UNSUPPORTED', `${file}: ${JSON.stringify(r).slice(0, 200)}`);
    assert.match(r.error, name, file);
  }
  // lnav's IIS file is read (src/parse/w3c.ts), its request counted.
  const w3c = await run([join(dir, 'lnav/logfile_w3c.0')]);
  assert.ok(w3c.ok && w3c.analysis.sources[0]?.format === 'w3c' && w3c.analysis.totals.requests === 1);
});
