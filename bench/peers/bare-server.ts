// The limit: node:http answering pre-serialised bytes, no framework, no logic.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { announce, loadCannedRoutes } from './routes.js';

const routes = loadCannedRoutes(process.argv[2]!);
const server = http.createServer((req, res) => {
  const answer = routes.get(req.url ?? '');
  if (!answer) {
    res.writeHead(404).end();
    return;
  }
  res.writeHead(answer.status, answer.headers).end(answer.body);
});
server.listen(0, '127.0.0.1', () => announce((server.address() as AddressInfo).port));
