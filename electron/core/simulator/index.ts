// Package entry of the built-in simulator: re-exports only. The behaviour lives in the one-concept files.
export { createSimulator, SimulatorListenError, HOST } from './simulator';
export type { Simulator, SimulatorOptions, SimulatorStats, FailRoute } from './types';
export type { AnswerSource, AnswerRequest, AnswerPlan, PlanStep, WireUsage } from './answers';
export { createScriptedAnswers, MAX_REPEAT } from './answers';
export { SCENARIO_DOCS, PII_SAMPLES } from './scenarios';
export { INJECT_BODY_LIMIT_BYTES } from './inject-route';
export { UNKNOWN_DIALOG_PREFIX } from './variables-route';
