/**
 * Serves the app's `app.http` functions on 127.0.0.1 with the Functions host's conventions: the `api/`
 * route prefix, route templates, methods, and `authLevel` (`function`/`admin` need the host's key in
 * `x-functions-key` or `?code=`). Requests reach the handler as a real HttpRequest through the invoker.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../../../shared/ports/logger.port';
import type { CapturedRegistration } from './functions-core-shim';
import { secretMatches } from './constant-time';
import { buildHttpRoutes, findRoute, type HttpRoute } from './http-routes';
import type { LocalHttpRequest, LocalHttpResponse } from './rpc-data';

/** Handles requests outside the app's routes (the durable webhooks); resolves true when it answered. */
export type ExtraRequestHandler = (req: IncomingMessage, res: ServerResponse, origin: string) => Promise<boolean>;

/** What the server needs. */
export interface LocalHttpServerOptions {
  readonly registrations: readonly CapturedRegistration[];
  readonly invoker: { invokeHttp(name: string, request: LocalHttpRequest): Promise<LocalHttpResponse> };
  readonly logger: Logger;
  /** The key `function` and `admin` routes require. */
  readonly functionKey: string;
  /** Default 7071, as `func start`; 0 picks a free port. */
  readonly port?: number;
  /** Default `api`, as host.json's `extensions.http.routePrefix`. */
  readonly routePrefix?: string;
  readonly extraHandler?: ExtraRequestHandler;
  /** Request body limit; the host's is 100 MB. */
  readonly maxBodyBytes?: number;
}

class BodyTooLargeError extends Error {}

function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) reject(new BodyTooLargeError());
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function flatHeaders(req: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return headers;
}

function answer(res: ServerResponse, status: number, text = ''): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

function writeResponse(res: ServerResponse, response: LocalHttpResponse): void {
  for (const [name, value] of response.headers) {
    if (name.toLowerCase() !== 'content-length') res.setHeader(name, value);
  }
  if (response.cookies.length > 0) res.setHeader('set-cookie', [...response.cookies]);
  res.setHeader('content-length', response.body.length);
  res.writeHead(response.status);
  res.end(response.body);
}

/** The local HTTP front end of the Functions app. */
export class LocalHttpServer {
  private readonly server: Server;
  private readonly routes: HttpRoute[];
  private readonly prefix: string;

  constructor(private readonly options: LocalHttpServerOptions) {
    // An empty key would let `?code=` open every protected route.
    if (options.functionKey.length === 0) throw new Error('the function key must not be empty');
    this.routes = buildHttpRoutes(options.registrations);
    const prefix = (options.routePrefix ?? 'api').replace(/^\/+|\/+$/g, '');
    this.prefix = prefix === '' ? '/' : `/${prefix.toLowerCase()}/`;
    this.server = createServer((req, res) => void this.handle(req, res));
  }

  /** Starts listening on 127.0.0.1 only. */
  async start(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.options.port ?? 7071, '127.0.0.1', () => {
        this.server.off('error', reject);
        resolve();
      });
    });
  }

  /** The bound address. */
  address(): AddressInfo {
    const address = this.server.address();
    if (address === null || typeof address === 'string') throw new Error('the HTTP server is not listening');
    return address;
  }

  /** `http://127.0.0.1:PORT` (the app's routes are under `/api/`). */
  get url(): string {
    return `http://127.0.0.1:${this.address().port}`;
  }

  /** Stops accepting connections and resolves once requests in flight have been answered. */
  async stop(): Promise<void> {
    if (!this.server.listening) return;
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    // Idle keep-alive sockets would hold close() open; busy ones finish their response first.
    this.server.closeIdleConnections();
    await closed;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      if (this.options.extraHandler && (await this.options.extraHandler(req, res, this.url))) return;
      await this.dispatch(req, res);
    } catch (error) {
      // The response says nothing about the error: its text could carry secrets.
      this.options.logger.error('http request failed', {
        method: req.method,
        errorName: error instanceof Error ? error.name : typeof error,
        error: error instanceof Error ? error.message : String(error),
      });
      if (!res.headersSent) answer(res, error instanceof BodyTooLargeError ? 413 : 500, 'Internal Server Error');
      else res.destroy();
    }
  }

  private async dispatch(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.url);
    const method = (req.method ?? 'GET').toUpperCase();
    const path = url.pathname;
    if (!path.toLowerCase().startsWith(this.prefix)) return answer(res, 404);
    const match = findRoute(this.routes, method, path.slice(this.prefix.length));
    if (!match) return answer(res, 404);
    const { route, params } = match;
    if (route.authLevel !== 'anonymous') {
      const presented = req.headers['x-functions-key'] ?? url.searchParams.get('code') ?? undefined;
      if (!secretMatches(Array.isArray(presented) ? presented[0] : presented, this.options.functionKey)) {
        this.options.logger.info('http request unauthorized', { functionName: route.functionName, method });
        return answer(res, 401);
      }
    }
    const body = await readBody(req, this.options.maxBodyBytes ?? 100 * 1024 * 1024);
    const request: LocalHttpRequest = { method, url: url.href, headers: flatHeaders(req), params, body };
    const response = await this.invoke(route, request);
    writeResponse(res, response);
  }

  private async invoke(route: HttpRoute, request: LocalHttpRequest): Promise<LocalHttpResponse> {
    try {
      const response = await this.options.invoker.invokeHttp(route.functionName, request);
      this.options.logger.debug('http function ran', { functionName: route.functionName, status: response.status });
      return response;
    } catch (error) {
      this.options.logger.error('http function failed', {
        functionName: route.functionName,
        errorName: error instanceof Error ? error.name : typeof error,
        error: error instanceof Error ? error.message : String(error),
      });
      return {
        status: 500,
        headers: [['content-type', 'text/plain; charset=utf-8']],
        cookies: [],
        body: Buffer.from('Internal Server Error'),
      };
    }
  }
}
