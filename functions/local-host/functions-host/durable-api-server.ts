/**
 * Serves the durable client API on its own `node:http` server, bound to 127.0.0.1 on an ephemeral port,
 * under a random path prefix (`/<secret>/durabletask/`). The prefix is a capability: only code that was
 * given the client binding (the app's functions) can drive orchestrations, not other local users.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { DurableEngine } from '../durable/durable-engine';
import type { Logger } from '../../../shared/ports/logger.port';
import { secretMatches } from './constant-time';
import { handleDurableApi, type DurableApiResponse } from './durable-api';
import { durableClientBinding, type DurableClientBinding } from './durable-client-binding';

/** What the server needs. */
export interface DurableApiServerOptions {
  readonly engine: DurableEngine;
  readonly logger: Logger;
  readonly hasOrchestrator: (name: string) => boolean;
  /** Default `hr2adlocal`. */
  readonly taskHubName?: string;
  /** Request body limit (default 16 MB). */
  readonly maxBodyBytes?: number;
}

const API_SEGMENT = 'durabletask';

function readBody(req: IncomingMessage, limit: number): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) chunks.push(chunk);
    });
    req.on('end', () => resolve(size > limit ? null : Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, response: DurableApiResponse): void {
  const body = response.body === undefined ? '' : JSON.stringify(response.body);
  res.writeHead(response.status, {
    ...response.headers,
    ...(response.body === undefined ? {} : { 'content-type': 'application/json; charset=utf-8' }),
    'content-length': Buffer.byteLength(body),
  });
  res.end(body);
}

/** The durable client API's server. */
export class DurableApiServer {
  private readonly secret = randomBytes(32).toString('base64url');
  private readonly taskHubName: string;
  private readonly server: Server;

  private constructor(private readonly options: DurableApiServerOptions) {
    this.taskHubName = options.taskHubName ?? 'hr2adlocal';
    this.server = createServer((req, res) => {
      void this.handleRequest(req, res, this.origin).then((answered) => {
        if (!answered) send(res, { status: 404 });
      });
    });
    // The durable client keeps connections alive; Node's 5 s default closes a socket just as a busy
    // client reuses it (ECONNRESET). Only this process calls this server, so idle sockets may stay.
    this.server.keepAliveTimeout = 120_000;
    this.server.headersTimeout = 125_000;
    this.server.requestTimeout = 0;
  }

  /** Creates the server and starts listening on 127.0.0.1 (ephemeral port). */
  static async start(options: DurableApiServerOptions): Promise<DurableApiServer> {
    const api = new DurableApiServer(options);
    await new Promise<void>((resolve, reject) => {
      api.server.once('error', reject);
      api.server.listen(0, '127.0.0.1', () => resolve());
    });
    return api;
  }

  address(): AddressInfo {
    const address = this.server.address();
    if (address === null || typeof address === 'string') throw new Error('the durable API is not listening');
    return address;
  }

  private get origin(): string {
    return `http://127.0.0.1:${this.address().port}`;
  }

  /** The path every API route lives under: `/<secret>/durabletask/`. */
  get pathPrefix(): string {
    return `/${this.secret}/${API_SEGMENT}/`;
  }

  /** `http://127.0.0.1:PORT/<secret>/durabletask/` (with the trailing slash the client needs). */
  get baseUrl(): string {
    return `${this.origin}${this.pathPrefix}`;
  }

  /** The durable client binding value functions receive. */
  get clientBinding(): DurableClientBinding {
    return durableClientBinding(this.baseUrl, this.taskHubName);
  }

  /**
   * Answers a request under the secret prefix (on this server, or mounted on the app's HTTP server, where
   * check-status links point); resolves false, without answering, for any other path.
   */
  readonly handleRequest = async (req: IncomingMessage, res: ServerResponse, origin: string): Promise<boolean> => {
    const url = new URL(req.url ?? '/', origin);
    const [, presented, segment, ...rest] = url.pathname.split('/');
    if (segment !== API_SEGMENT || !secretMatches(presented, this.secret)) return false;
    try {
      const body = await readBody(req, this.options.maxBodyBytes ?? 16 * 1024 * 1024);
      if (body === null) return (send(res, { status: 413 }), true);
      const context = {
        engine: this.options.engine,
        taskHubName: this.taskHubName,
        baseUrl: `${origin}${this.pathPrefix}`,
        hasOrchestrator: this.options.hasOrchestrator,
      };
      const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v]));
      const request = { method: req.method ?? 'GET', path: rest.join('/'), query: url.searchParams, headers, body };
      send(res, await handleDurableApi(context, request));
    } catch (error) {
      this.options.logger.error('durable API request failed', {
        method: req.method,
        error: error instanceof Error ? error.message : String(error),
      });
      send(res, { status: 500, body: { message: 'Something went wrong while processing your request' } });
    }
    return true;
  };

  /** Stops accepting connections; resolves once requests in flight are answered. */
  async stop(): Promise<void> {
    if (!this.server.listening) return;
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeIdleConnections();
    await closed;
  }
}
