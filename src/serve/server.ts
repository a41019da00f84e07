/**
 * The HTTP side: Node's own http server (no framework: four routes, and the
 * raw request path is needed as bytes), keep-alive, a graceful stop.
 */
import * as http from 'node:http';
import { Routes, SECURITY_HEADERS } from './routes';

export function createServer(routes: Routes): http.Server {
  return http.createServer((req, res) => {
    const method = req.method ?? 'GET';
    routes.handle(method, req.url ?? '/').then(
      (reply) => {
        const body = Buffer.from(reply.body, 'utf8');
        res.writeHead(reply.status, { ...reply.headers, 'Content-Length': String(body.length) });
        // Node sends no body for HEAD by itself; the headers are GET's.
        res.end(body);
      },
      (e: unknown) => {
        process.stderr.write(`serve: ${e instanceof Error ? e.message : String(e)}\n`);
        if (!res.headersSent) res.writeHead(500, { ...SECURITY_HEADERS, 'Content-Type': 'text/plain; charset=utf-8' });
        res.end();
      },
    );
  });
}

/** Listens; resolves with the URL it listens on. */
export function listen(server: http.Server, host: string, port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      const addr = server.address();
      if (addr === null || typeof addr === 'string') return reject(new Error('no address to listen on'));
      const shown = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
      resolve(`http://${shown}:${addr.port}/`);
    });
  });
}

/** Stops taking connections, lets the requests in flight finish, closes idle keep-alive connections. */
export function stop(server: http.Server, graceMs: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      server.closeAllConnections();
      resolve();
    }, graceMs);
    timer.unref();
    server.close(() => {
      clearTimeout(timer);
      resolve();
    });
    server.closeIdleConnections();
  });
}
