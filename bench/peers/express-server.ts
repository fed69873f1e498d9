// The floor Express sets: a minimal Express 5 app answering the same bytes the way the mock writes them.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { announce, loadCannedRoutes } from './routes.js';

const routes = loadCannedRoutes(process.argv[2]!);
const app = express();
app.disable('x-powered-by');
app.set('etag', false);
for (const [path, answer] of routes) {
  app.get(path, (_req, res) => {
    res.status(answer.status);
    for (const [name, value] of Object.entries(answer.headers)) res.setHeader(name, value);
    res.end(answer.body);
  });
}
const server = http.createServer(app);
server.listen(0, '127.0.0.1', () => announce((server.address() as AddressInfo).port));
