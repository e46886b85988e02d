import type { Page } from './page-context.js';
import { alertsPage } from './pages/alerts-page.js';
import { completenessPage } from './pages/completeness-page.js';
import { overviewPage } from './pages/overview-page.js';
import { quarantinePage } from './pages/quarantine-page.js';
import { seriesPage } from './pages/series-page.js';

export interface Route {
  path: string;
  title: string;
  page: Page;
  /** Shown to technicians and admins only (the API refuses the others anyway). */
  technician: boolean;
}

/** Every page, in the order of the navigation bar. */
export const ROUTES: readonly Route[] = [
  { path: 'overview', title: 'Overview', page: overviewPage, technician: false },
  { path: 'series', title: 'Series', page: seriesPage, technician: false },
  { path: 'alerts', title: 'Alerts', page: alertsPage, technician: false },
  { path: 'completeness', title: 'Completeness', page: completenessPage, technician: false },
  { path: 'quarantine', title: 'Quarantine', page: quarantinePage, technician: true },
];
