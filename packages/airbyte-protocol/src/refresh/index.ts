export { planStream } from './stream-plan.js';
export type { StreamPlan, TruncatePlan } from './stream-plan.js';
