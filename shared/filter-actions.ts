// What the safety filter may do with a detection, per type. Its own module (no zod, no event schemas) so
// that the policy, and with it the `filter` CLI, loads without the session event schemas (issue 13).
export const FILTER_ACTIONS = ['mask', 'partial', 'hash', 'block', 'off'] as const;
export type FilterAction = (typeof FILTER_ACTIONS)[number];
