import { dirname, join } from 'node:path';

const PUBLIC = join(__dirname, 'public');
// uPlot ships no "exports" map: its package.json locates the dist folder.
const UPLOT_DIST = join(dirname(require.resolve('uplot/package.json')), 'dist');

/** Every file the dashboard serves, by the name the page asks for. */
export const DASHBOARD_FILES: Readonly<Record<string, string>> = {
  'index.html': join(PUBLIC, 'index.html'),
  'dashboard.js': join(PUBLIC, 'dashboard.js'),
  'dashboard.css': join(PUBLIC, 'dashboard.css'),
  'uPlot.iife.min.js': join(UPLOT_DIST, 'uPlot.iife.min.js'),
  'uPlot.min.css': join(UPLOT_DIST, 'uPlot.min.css'),
};

export function dashboardFile(name: string): string {
  return DASHBOARD_FILES[name];
}
