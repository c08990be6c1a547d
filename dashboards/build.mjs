// Copies the browser bundles of the two vendor libraries into vendor/, which the host serves at /vendor/…
// so the dashboards never load anything from a CDN at run time (DESIGN §10: assets are bundled).
import { copyFileSync, mkdirSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const vendor = join(here, 'vendor');
const files = [
  ['node_modules/@microsoft/signalr/dist/browser/signalr.min.js', 'signalr.min.js'],
  ['node_modules/echarts/dist/echarts.min.js', 'echarts.min.js'],
];

mkdirSync(vendor, { recursive: true });
for (const [from, to] of files) {
  const source = join(here, from);
  if (!existsSync(source)) {
    console.error(`dashboards build: ${from} is missing; run "npm ci" in dashboards/ first.`);
    process.exit(1);
  }
  copyFileSync(source, join(vendor, to));
  console.log(`dashboards build: vendor/${to}`);
}
