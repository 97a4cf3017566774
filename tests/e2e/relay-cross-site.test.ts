// Issue 11 §3: a web page on another origin cannot make the relay run turns — not with <img>, <script>,
// <link>, an <iframe>, a no-cors fetch, a form post, an EventSource nor a navigation — while the configured
// origin's EventSource and a non-browser client (curl-like) keep working. Real Chromium, the real `relay`
// command, two page servers on two loopback origins.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, get, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI } from '../helpers/cli';
import { ensureBuilt, openBrowser, ROOT, type Browser } from './ui-harness';

let relayProc: ChildProcess;
let relay = '';
let pageA: { server: Server; origin: string };
let pageB: { server: Server; origin: string };
let relayErr = '';

async function pageServer(html: () => string): Promise<{ server: Server; origin: string }> {
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
    res.end(html());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

/** A plain HTTP GET as curl does it: no Origin, no Sec-Fetch-*. */
function plainGet(url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    get(url, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString('utf8')));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    }).on('error', reject);
  });
}

const turnsStarted = async () => (JSON.parse((await plainGet(`${relay}/`)).body) as { turnsStarted: number }).turnsStarted;

const ATTACK_INPUTS = ['img', 'script', 'style', 'iframe', 'nocors', 'eventsource', 'form', 'navigation'];

beforeAll(async () => {
  await ensureBuilt();
  pageA = await pageServer(() => '<!doctype html><title>allowed</title><p>the configured frontend</p>');
  pageB = await pageServer(() => {
    const r = (input: string) => `${relay}/stream?input=${input}`;
    return `<!doctype html><title>elsewhere</title>
<img src="${r('img')}">
<script src="${r('script')}"></script>
<link rel="stylesheet" href="${r('style')}">
<iframe src="${r('iframe')}"></iframe>
<iframe name="sink"></iframe>
<form id="f" method="POST" action="${relay}/turns" enctype="text/plain" target="sink"><input type="hidden" name='{"input":"form","x":"' value='"}'></form>
<script>
  fetch(${JSON.stringify(r('nocors'))}, { mode: 'no-cors' }).catch(() => {});
  const es = new EventSource(${JSON.stringify(r('eventsource'))});
  es.onerror = () => es.close();
  document.getElementById('f').submit();
</script>`;
  });
  relayProc = spawn(process.execPath, [CLI, 'relay', '--port', '0', '--env', 'demo', '--speed', '0', '--origin', pageA.origin], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  relayProc.stderr!.on('data', (d: Buffer) => (relayErr += d.toString('utf8')));
  relay = await new Promise<string>((resolve, reject) => {
    let out = '';
    const t = setTimeout(() => reject(new Error(`relay not listening within 30 s:\n${relayErr}`)), 30_000);
    relayProc.stdout!.on('data', (d: Buffer) => {
      out += d.toString('utf8');
      const m = /relay listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m) {
        clearTimeout(t);
        resolve(m[1]!);
      }
    });
  });
}, 120_000);

afterAll(async () => {
  const exited = new Promise((r) => relayProc.once('exit', r));
  relayProc.kill('SIGTERM');
  await exited;
  pageA.server.close();
  pageB.server.close();
});

describe('relay × a page on another loopback origin (Chromium)', () => {
  it('no request of that page starts a turn; each is refused with 403', async () => {
    const browser: Browser = await openBrowser('about:blank');
    try {
      const outcome = new Map<string, number | string>();
      const settled = new Promise<void>((resolve, reject) => {
        const t = setTimeout(() => reject(new Error(`no outcome within 30 s for: ${ATTACK_INPUTS.filter((i) => !outcome.has(i)).join(', ')}`)), 30_000);
        const note = (url: string, what: number | string) => {
          if (!url.startsWith(relay)) return;
          const u = new URL(url);
          const input = u.pathname === '/turns' ? 'form' : (u.searchParams.get('input') ?? '?');
          if (!outcome.has(input)) outcome.set(input, what);
          if (ATTACK_INPUTS.every((i) => outcome.has(i))) {
            clearTimeout(t);
            resolve();
          }
        };
        browser.context.on('response', (res) => note(res.url(), res.status()));
        browser.context.on('requestfailed', (req) => note(req.url(), `failed: ${req.failure()?.errorText ?? '?'}`));
      });
      await browser.page.goto(pageB.origin);
      // A top-level navigation from that page to the relay, as a link click would do.
      await browser.page.evaluate((url) => {
        const a = document.createElement('a');
        a.href = url;
        document.body.append(a);
        a.click();
      }, `${relay}/stream?input=navigation`);
      await settled;
      // What the page could see: a 403, or nothing at all (Chromium's ORB hides a refused <img>/<script>).
      for (const [input, what] of outcome) expect([403, 'failed: net::ERR_BLOCKED_BY_ORB', 'failed: net::ERR_FAILED'], input).toContain(what);
      // What the relay did: every one of those requests reached it and was refused; no turn ran.
      const refused = relayErr.split('\n').filter((l) => /^refused (GET \/stream|POST \/turns): /.test(l));
      expect(refused.length).toBeGreaterThanOrEqual(ATTACK_INPUTS.length);
      expect(await turnsStarted()).toBe(0);
      expect(relayErr).not.toMatch(/turn \d+: started/);
    } finally {
      await browser.close();
    }
  }, 90_000);

  it('the configured origin’s EventSource and a curl-like client still run turns', async () => {
    const before = await turnsStarted();
    const browser = await openBrowser(pageA.origin);
    try {
      const text = await browser.page.evaluate(
        (url) =>
          new Promise<string>((resolve, reject) => {
            const es = new EventSource(url);
            let out = '';
            es.addEventListener('token', (e) => (out += (JSON.parse((e).data) as { text: string }).text));
            es.addEventListener('done', () => {
              es.close();
              resolve(out);
            });
            es.onerror = () => {
              es.close();
              reject(new Error('EventSource failed'));
            };
          }),
        `${relay}/stream?input=${encodeURIComponent('hello from the allowed page')}`,
      );
      expect(text.length).toBeGreaterThan(20);
    } finally {
      await browser.close();
    }
    const curl = await plainGet(`${relay}/stream?input=curl`);
    expect(curl.status).toBe(200);
    expect(curl.body).toMatch(/event: done/);
    expect(await turnsStarted()).toBe(before + 2);
  }, 90_000);
});
