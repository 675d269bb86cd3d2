/**
 * AMQP over WebSockets as the SDK dials it: `wss://host:port/$servicebus/websocket`, subprotocol AMQPWSB10.
 * The TLS certificate is self-signed for 127.0.0.1, made once per broker with openssl; clients trust its PEM.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type rhea from 'rhea';
import { WebSocketServer } from 'ws';

export const WEBSOCKET_PATH = '/$servicebus/websocket';
const SUBPROTOCOL = 'AMQPWSB10';

export interface SelfSignedCertificate {
  certPem: string;
  keyPem: string;
}

export function makeSelfSignedCertificate(): SelfSignedCertificate {
  const dir = mkdtempSync(join(tmpdir(), 'sb-broker-cert-'));
  try {
    const keyFile = join(dir, 'key.pem');
    const certFile = join(dir, 'cert.pem');
    execFileSync(
      'openssl',
      ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=127.0.0.1'].concat([
        '-addext',
        'subjectAltName=IP:127.0.0.1,DNS:localhost',
        '-keyout',
        keyFile,
        '-out',
        certFile,
      ]),
      { stdio: 'ignore' },
    );
    return { certPem: readFileSync(certFile, 'utf8'), keyPem: readFileSync(keyFile, 'utf8') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export interface WebSocketListener {
  port: number;
  close(): Promise<void>;
}

export async function listenWebSocket(
  container: rhea.Container,
  certificate: SelfSignedCertificate,
  port: number,
): Promise<WebSocketListener> {
  // A plain HTTPS request gets an answer (with its Date header), as a namespace's HTTPS endpoint gives one.
  const server: Server = createServer({ cert: certificate.certPem, key: certificate.keyPem }, (_request, response) => {
    response.statusCode = 404;
    response.end();
  });
  const wss = new WebSocketServer({
    server,
    path: WEBSOCKET_PATH,
    handleProtocols: (protocols) => (protocols.has(SUBPROTOCOL) ? SUBPROTOCOL : false),
  });
  wss.on('connection', (socket) => container.websocket_accept(socket as never, {} as never));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: async () => {
      for (const client of wss.clients) client.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
