// The baseline: a bare node:http server that parses the same JSON bodies and answers the same
// shapes as Hush's create and consume, with no storage, no validation and no crypto.
import { createServer } from 'node:http';
import { randomBytes } from 'node:crypto';

const ciphertext = randomBytes(200).toString('base64url');
const server = createServer((req, res) => {
  let body = '';
  req.setEncoding('utf8');
  req.on('data', (d) => (body += d));
  req.on('end', () => {
    let parsed;
    try {
      parsed = JSON.parse(body);
    } catch {
      res.writeHead(400, { 'content-type': 'application/json' }).end('{"error":{"code":"invalid_request","message":"bad json"}}');
      return;
    }
    if (req.url === '/api/v1/secrets') {
      const out = JSON.stringify({ id: randomBytes(16).toString('base64url'), manageToken: randomBytes(32).toString('base64url'), expiresAt: new Date(Date.now() + (parsed.ttl ?? 86400) * 1000).toISOString(), views: parsed.views ?? 1 });
      res.writeHead(201, { 'content-type': 'application/json; charset=utf-8' }).end(out);
    } else {
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify({ ciphertext, viewsLeft: 0 }));
    }
  });
});
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => process.stdout.write(`Server listening at http://127.0.0.1:${server.address().port}\n`));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
