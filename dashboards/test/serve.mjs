// Throwaway static server for the page tests: the host's URL layout (/shared, /vendor, app folders) on a free
// 127.0.0.1 port. POST /api/auth/token answers 401 with the contract's ProblemDetails so the login error path runs.
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { join, dirname, extname, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const types = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.png': 'image/png' };
const problem = (res, status, title, detail) =>
  res.writeHead(status, { 'Content-Type': 'application/problem+json' }).end(JSON.stringify({ status, title, detail }));

export async function serve() {
  const server = createServer(async (req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url, 'http://x').pathname)).replace(/^(\.\.[/\\])+/, '');
    if (path === '/api/auth/token') return problem(res, 401, 'Unauthorized', 'wrong username or password / 用户名或密码错误');
    const file = join(root, path.endsWith('/') ? path + 'index.html' : path);
    try {
      const body = await readFile(file);
      res.writeHead(200, { 'Content-Type': types[extname(file)] ?? 'application/octet-stream' }).end(body);
    } catch {
      problem(res, 404, 'Not Found', `no such file: ${path}`);
    }
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return { base: `http://127.0.0.1:${server.address().port}`, close: () => server.close() };
}
