// A test SSE client: a real HTTP request over loopback, parsed by an independent parser (eventsource-parser).
import { request, type IncomingHttpHeaders } from 'node:http';
import { createParser, type EventSourceMessage } from 'eventsource-parser';

export interface SseResult {
  status: number;
  headers: IncomingHttpHeaders;
  events: EventSourceMessage[];
  comments: string[];
  retry?: number;
  body: string;
  /** True when we aborted after `stopAfter` events. */
  aborted: boolean;
}

export interface SseRequest {
  method?: 'GET' | 'POST' | 'OPTIONS';
  headers?: Record<string, string>;
  body?: string;
  /** Abort the connection after this many events. */
  stopAfter?: number;
  /** Abort after this many comments. */
  stopAfterComments?: number;
}

export function sse(url: string, r: SseRequest = {}): Promise<SseResult> {
  return new Promise((resolve, reject) => {
    const out: SseResult = { status: 0, headers: {}, events: [], comments: [], body: '', aborted: false };
    const req = request(url, { method: r.method ?? 'GET', headers: r.headers ?? {} }, (res) => {
      out.status = res.statusCode ?? 0;
      out.headers = res.headers;
      res.setEncoding('utf8');
      const stop = () => {
        out.aborted = true;
        req.destroy();
        resolve(out);
      };
      const parser = createParser({
        onEvent: (e) => {
          out.events.push(e);
          if (r.stopAfter !== undefined && out.events.length >= r.stopAfter) stop();
        },
        onComment: (c) => {
          out.comments.push(c);
          if (r.stopAfterComments !== undefined && out.comments.length >= r.stopAfterComments) stop();
        },
        onRetry: (ms) => (out.retry = ms),
      });
      res.on('data', (chunk: string) => {
        out.body += chunk;
        if (!out.aborted) parser.feed(chunk);
      });
      res.on('end', () => resolve(out));
      res.on('error', () => resolve(out));
    });
    req.on('error', (err) => (out.aborted ? resolve(out) : reject(err)));
    if (r.body !== undefined) req.write(r.body);
    req.end();
  });
}
