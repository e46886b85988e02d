// Part of `npm run build`: puts the page, its styles and uPlot (from node_modules) next to the
// compiled modules in dist/dashboard, so the API serves it all from one folder and no CDN is needed.
import { cpSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, '..', 'dist', 'dashboard');
const uplot = dirname(createRequire(import.meta.url).resolve('uplot'));

mkdirSync(join(out, 'vendor'), { recursive: true });
cpSync(join(here, 'public'), out, { recursive: true });
for (const file of ['uPlot.esm.js', 'uPlot.min.css']) cpSync(join(uplot, file), join(out, 'vendor', file));
cpSync(join(uplot, '..', 'LICENSE'), join(out, 'vendor', 'uPlot.LICENSE'));
