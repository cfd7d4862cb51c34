/**
 * The explorer's HTTP server: listens on 127.0.0.1 only and serves exactly its page, its three scripts/styles
 * and a JSON API over one ExplorerSession. Every request is checked: the Host header must name the loopback
 * address (a DNS-rebinding page cannot talk to it), a POST must come from the page's own origin with a JSON
 * body of at most 1 MiB, and a path is only ever a list of integers that the session range-checks against the
 * spec. No file is served and nothing the page sends is evaluated.
 *
 * Routes: GET / (page), GET /viewer.css, /viewer.js, /explorer.js; GET /api/spec; POST /api/path (trace, chart,
 * failing invariants), POST /api/enabled (the enabled steps in a path's last state), POST /api/trace (the path
 * as a trace file, as an attachment). Anything else is 404; a bad request is 400; a foreign Host or Origin 403.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { InterleaveError } from '../errors.ts';
import { toJson } from '../trace/index.ts';
import { VIEWER_CORE_JS, VIEWER_CSS } from '../viewer/index.ts';
import { EXPLORER_CSP, EXPLORER_CSS, EXPLORER_JS, renderExplorerHtml } from './page.ts';
import { BadPath, MAX_PATH, type ExplorePath, type ExplorerSession } from './session.ts';

/** The largest request body accepted. */
export const MAX_BODY = 1 << 20;

export interface ExplorerServer {
  server: Server;
  port: number;
  url: string;
  close(): Promise<void>;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** Starts the server on 127.0.0.1 (port 0: a free one). CLI_USAGE when the port is taken. */
export async function startExplorer(session: ExplorerSession, options: { port?: number; start?: ExplorePath } = {}): Promise<ExplorerServer> {
  const start = options.start ?? { init: 0, steps: [] };
  session.resolve(start);
  const html = renderExplorerHtml(session.spec.name);
  let port = 0;
  const assets: Record<string, [string, string]> = {
    '/': ['text/html; charset=utf-8', html],
    '/viewer.css': ['text/css; charset=utf-8', VIEWER_CSS + EXPLORER_CSS],
    '/viewer.js': ['text/javascript; charset=utf-8', VIEWER_CORE_JS],
    '/explorer.js': ['text/javascript; charset=utf-8', EXPLORER_JS],
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const host = req.headers.host ?? '';
    if (!loopbackHost(host, port)) throw new HttpError(403, `Host '${host}' is not this server (127.0.0.1:${port})`);
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
    if (req.method === 'GET' || req.method === 'HEAD') {
      const asset = assets[url.pathname];
      if (asset) return send(res, 200, asset[0], asset[1], req.method === 'HEAD');
      if (url.pathname === '/api/spec') {
        return sendJson(res, 200, {
          name: session.spec.name,
          description: session.spec.description ?? null,
          constants: toJson(session.rt.constants),
          initial: session.initialStates(),
          invariants: session.spec.invariants.map((i) => i.name),
          actions: session.rt.actions.map((a) => a.name),
          start,
          maxPath: MAX_PATH,
        });
      }
      throw new HttpError(404, `no such page: ${url.pathname}`);
    }
    if (req.method !== 'POST') throw new HttpError(405, `method ${req.method ?? '?'} is not allowed`);
    if (!['/api/path', '/api/enabled', '/api/trace'].includes(url.pathname)) {
      req.resume();
      throw new HttpError(404, `no such page: ${url.pathname}`);
    }
    const origin = req.headers.origin;
    if (origin !== undefined && !loopbackOrigin(origin, port)) throw new HttpError(403, `Origin '${origin}' is not this server`);
    if (!/^application\/json\s*(;|$)/i.test(req.headers['content-type'] ?? '')) throw new HttpError(415, 'the body must be application/json');
    const path = parsePath(await readBody(req));
    try {
      if (url.pathname === '/api/path') return sendJson(res, 200, session.view(path));
      if (url.pathname === '/api/enabled') return sendJson(res, 200, { enabled: session.enabled(path), terminal: session.terminal(path) });
      const trace = session.traceOf(path);
      const name = `${session.spec.name.replace(/[^A-Za-z0-9_.-]/g, '_')}-explored.json`;
      res.setHeader('Content-Disposition', `attachment; filename="${name}"`);
      return send(res, 200, 'application/json; charset=utf-8', `${JSON.stringify(trace, null, 2)}\n`);
    } catch (e) {
      if (e instanceof BadPath) throw new HttpError(400, e.message);
      throw e;
    }
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      const status = e instanceof HttpError ? e.status : 500;
      const message = e instanceof HttpError ? e.message : `internal error: ${e instanceof Error ? e.message : String(e)}`;
      // After a refused body, the rest of it is not read: the connection closes once the answer is out.
      if (status === 413) {
        res.setHeader('Connection', 'close');
        res.on('finish', () => req.destroy());
      }
      if (!res.headersSent) sendJson(res, status, { error: message });
      else res.end();
    });
  });
  server.headersTimeout = 10_000;
  server.requestTimeout = 30_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'EADDRINUSE') reject(new InterleaveError('CLI_USAGE', `port ${options.port} on 127.0.0.1 is in use; pick another with --port, or leave it out for a free one`));
      else if (e.code === 'EACCES') reject(new InterleaveError('CLI_USAGE', `port ${options.port} needs privileges; pick one above 1023`));
      else reject(e);
    });
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  return {
    server,
    port,
    url: `http://127.0.0.1:${port}/`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function loopbackHost(host: string, port: number): boolean {
  return host === `127.0.0.1:${port}` || host === `localhost:${port}` || host === `[::1]:${port}`;
}

function loopbackOrigin(origin: string, port: number): boolean {
  return origin === `http://127.0.0.1:${port}` || origin === `http://localhost:${port}`;
}

function send(res: ServerResponse, status: number, type: string, body: string, headOnly = false): void {
  res.writeHead(status, {
    'Content-Type': type,
    'Content-Length': Buffer.byteLength(body),
    'Content-Security-Policy': EXPLORER_CSP,
    'X-Content-Type-Options': 'nosniff',
    'X-Frame-Options': 'DENY',
    'Referrer-Policy': 'no-referrer',
    'Cache-Control': 'no-store',
    'Cross-Origin-Resource-Policy': 'same-origin',
  });
  res.end(headOnly ? undefined : body);
}

function sendJson(res: ServerResponse, status: number, value: unknown): void {
  send(res, status, 'application/json; charset=utf-8', JSON.stringify(value));
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > MAX_BODY) return reject(new HttpError(413, `the body is over ${MAX_BODY} bytes`));
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        reject(new HttpError(413, `the body is over ${MAX_BODY} bytes`));
        req.pause();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** `{"init": 0, "steps": [[a, p], ...]}` with integers only; anything else is 400. */
export function parsePath(text: string): ExplorePath {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new HttpError(400, 'the body is not JSON');
  }
  const o = json as { init?: unknown; steps?: unknown };
  if (o === null || typeof o !== 'object' || Array.isArray(o)) throw new HttpError(400, 'the body must be an object {init, steps}');
  if (!Number.isSafeInteger(o.init)) throw new HttpError(400, "'init' must be an integer");
  if (!Array.isArray(o.steps)) throw new HttpError(400, "'steps' must be an array of [action, parameter] index pairs");
  if (o.steps.length > MAX_PATH) throw new HttpError(400, `the path has ${o.steps.length} steps; at most ${MAX_PATH}`);
  const steps: [number, number][] = [];
  o.steps.forEach((p: unknown, i) => {
    if (!Array.isArray(p) || p.length !== 2 || !Number.isSafeInteger(p[0]) || !Number.isSafeInteger(p[1])) {
      throw new HttpError(400, `steps[${i}] must be a pair of integers [action, parameter]`);
    }
    steps.push([p[0] as number, p[1] as number]);
  });
  return { init: o.init as number, steps };
}
