export {
  EXPOSITION_CONTENT_TYPE,
  MetricFamilyError,
  mergeFamilies,
  renderExposition,
} from './exposition.js';
export type { MetricFamily, MetricSample, MetricSource } from './metric-family.js';
