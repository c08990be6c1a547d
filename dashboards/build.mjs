// Copies the browser bundles into vendor/ so the host serves them (no CDN at run time).
import { copyFileSync, mkdirSync } from 'node:fs';
mkdirSync(new URL('./vendor/', import.meta.url), { recursive: true });
for (const [from, to] of [
  ['node_modules/@microsoft/signalr/dist/browser/signalr.min.js', 'vendor/signalr.min.js'],
  ['node_modules/echarts/dist/echarts.min.js', 'vendor/echarts.min.js'],
]) copyFileSync(new URL(from, import.meta.url), new URL(to, import.meta.url));
